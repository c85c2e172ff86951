using System.Globalization;
using System.Net;
using Coaching.Api.Tests.Pipeline;
using Coaching.Testing;

namespace Coaching.Api.Tests.Operations;

/// <summary>
/// The meters are process-wide, so this runs alone (no other test ingests meanwhile) and compares what
/// /metrics says before and after a known set of events.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

[Collection(MetricsCollection.Name)]
public sealed class DomainMetricsTests
{
    [Fact]
    public async Task Metrics_count_exactly_the_events_sent_their_matches_and_outcomes()
    {
        await using var api = new CoachingApi();
        var seed = new SeedData(api, "metrics");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity();
        var before = await Scrape(api);

        var integration = api.Integration();
        async Task<string> Send(object body)
        {
            var answer = await (await integration.PostJson("/v1/events", body)).Expect(HttpStatusCode.OK);
            var outcomes = SeedData.Outcomes(answer);
            return outcomes.Count == 0 ? "none" : outcomes.Single(o => o.OpportunityId == opportunity).Outcome;
        }

        Assert.Equal("created", await Send(seed.Reassignment("m-1")));
        Assert.Equal("created", await Send(seed.Reassignment("m-1")));            // replay: the first answer
        Assert.Equal("suppressed-duplicate", await Send(seed.Reassignment("m-2")));
        Assert.Equal("no-trainee", await Send(seed.Reassignment("m-3", assignee: "")));
        Assert.Equal("unknown-trainee", await Send(seed.Reassignment("m-4", assignee: "metrics-ghost")));
        Assert.Equal("none", await Send(new
        {
            eventId = "m-5", table = seed.Table, recordId = "INC-M5", occurredAt = "2026-11-20T10:00:00Z",
            fields = new { assigned_to = seed.Trainee }, previous = new { },
        }));

        // The exporter may serve a cached scrape for a moment; wait for the counts to arrive.
        Dictionary<string, double> after = [];
        var expected = new Dictionary<string, double>
        {
            ["coaching_events_ingested_total"] = 5,
            ["coaching_events_replayed_total"] = 1,
            ["coaching_moments_matched_total"] = 4,
            ["coaching_outcomes_total{outcome=\"created\"}"] = 1,
            ["coaching_outcomes_total{outcome=\"suppressed-duplicate\"}"] = 1,
            ["coaching_outcomes_total{outcome=\"no-trainee\"}"] = 1,
            ["coaching_outcomes_total{outcome=\"unknown-trainee\"}"] = 1,
            ["coaching_ingestion_duration_milliseconds_count{kind=\"single\"}"] = 6,
        };
        var matched = await SiloUnderTest.EventuallyAsync(async () =>
        {
            after = await Scrape(api);
            return expected.All(e => Delta(before, after, e.Key) == e.Value);
        }, TimeSpan.FromSeconds(10));

        Assert.True(matched, string.Join("; ", expected.Select(e => $"{e.Key}: expected +{e.Value}, got +{Delta(before, after, e.Key)}")));
        Assert.True(Delta(before, after, "coaching_assessments_transitions_total{action=\"created\",to=\"New\"}") >= 1);
    }

    private static double Delta(Dictionary<string, double> before, Dictionary<string, double> after, string series) =>
        after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

    /// <summary>Prometheus text as series (name plus labels we care about, scope labels dropped) to value.</summary>
    private static async Task<Dictionary<string, double>> Scrape(CoachingApi api)
    {
        var text = await (await api.Admin().GetAsync("/metrics")).Content.ReadAsStringAsync();
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("coaching_", StringComparison.Ordinal))
            {
                continue;
            }

            var split = line.LastIndexOf(' ');
            var key = line[..split];
            var brace = key.IndexOf('{', StringComparison.Ordinal);
            if (brace >= 0)
            {
                var labels = key[(brace + 1)..^1].Split(',').Where(l => !l.StartsWith("otel_", StringComparison.Ordinal)).ToList();
                key = labels.Count == 0 ? key[..brace] : $"{key[..brace]}{{{string.Join(',', labels)}}}";
            }

            series[key] = series.GetValueOrDefault(key) + double.Parse(line[(split + 1)..], CultureInfo.InvariantCulture);
        }

        return series;
    }
}

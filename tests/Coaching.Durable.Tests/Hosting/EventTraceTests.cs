using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Coaching.Testing;
using Xunit.Abstractions;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>One event followed from the HTTP request through the grains to PostgreSQL, as one trace.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EventTraceTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task An_event_is_one_trace_from_HTTP_through_grain_calls_to_PostgreSQL()
    {
        var settings = SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("trace"), "trace");
        await using var api = new CoachingApi(settings);
        var admin = api.Admin();
        foreach (var user in new[] { "tr-trainee", "tr-before", "tr-coach" })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson("/v1/groups/tr-coaches", new { displayName = "Coaches", members = new[] { "tr-coach" } })).Expect(HttpStatusCode.OK);
        await (await admin.PostJson("/v1/opportunities", new
        {
            name = "Reassignment", active = true, sourceTable = "incident", traineeField = "assigned_to", coachGroup = "tr-coaches",
            moment = new { field = "assigned_to", @operator = "changes" }, randomSamplePercent = 100, assessmentDuration = "P5D",
            closeOnExpiry = true, preventDuplicates = false, completion = "coach",
        })).Expect(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                || source.Name == "Npgsql" || source.Name == "Coaching",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var answer = await (await api.Integration().PostJson("/v1/events", new
        {
            eventId = "trace-1", table = "incident", recordId = "INC1", occurredAt = "2026-11-20T10:00:00Z",
            fields = new { assigned_to = "tr-trainee" }, previous = new { assigned_to = "tr-before" },
        })).Expect(HttpStatusCode.OK);
        Assert.Equal("created", answer.GetProperty("outcomes")[0].GetProperty("outcome").GetString());

        var request = Assert.Single(spans, s => s.Source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            && s.Kind == ActivityKind.Server && s.DisplayName.Contains("/v1/events", StringComparison.Ordinal));
        var trace = spans.Where(s => s.TraceId == request.TraceId).OrderBy(s => s.StartTimeUtc).ToList();
        foreach (var span in trace)
        {
            output.WriteLine($"{span.StartTimeUtc:HH:mm:ss.fff} {span.Duration.TotalMilliseconds,7:F1} ms  {span.Source.Name,-34} {span.DisplayName}");
        }

        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("IEventIntakeGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("ITraineeGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
    }
}

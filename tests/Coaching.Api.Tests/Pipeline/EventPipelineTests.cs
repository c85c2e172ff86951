using System.Net;
using System.Text.Json;
using Coaching.Assessments;
using Coaching.Pipeline;
using Coaching.Testing;

namespace Coaching.Api.Tests.Pipeline;

[Collection(ApiCollection.Name)]
public sealed class EventPipelineTests(SharedApi api)
{
    private const string Sender = "svc-integration";

    [Fact]
    public async Task The_seed_example_creates_one_assessment_for_a_reassignment()
    {
        var seed = new SeedData(api, "pl-seed");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity();

        var answer = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-000123"))).Expect(HttpStatusCode.OK);

        Assert.Equal("evt-000123", answer.GetProperty("eventId").GetString());
        var outcome = Assert.Single(SeedData.Outcomes(answer));
        Assert.Equal((opportunity, "created", AssessmentIds.For(opportunity, EventKeys.For(Sender, "evt-000123"))), outcome);
    }

    [Fact]
    public async Task A_replay_answers_the_first_answer_and_the_window_suppresses()
    {
        var seed = new SeedData(api, "pl-replay");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity();
        var integration = api.Integration();

        var first = await integration.PostJson("/v1/events", seed.Reassignment("evt-r1"));
        var firstText = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var replay = await integration.PostJson("/v1/events", seed.Reassignment("evt-r1"));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstText, await replay.Content.ReadAsStringAsync());
        // A replay with a different body is still the same event: the first answer.
        var changedReplay = await integration.PostJson("/v1/events", seed.Reassignment("evt-r1", assignee: seed.PreviousAssignee));
        Assert.Equal(firstText, await changedReplay.Content.ReadAsStringAsync());
        Assert.Equal("created", SeedData.Outcomes(JsonDocument.Parse(firstText).RootElement)[0].Outcome);

        var second = await (await integration.PostJson("/v1/events", seed.Reassignment("evt-r2", recordId: "INC-other"))).Expect(HttpStatusCode.OK);
        Assert.Equal((opportunity, "suppressed-duplicate", (string?)null), Assert.Single(SeedData.Outcomes(second)));

        // A suppressed event replayed keeps its first answer too.
        var secondAgain = await (await integration.PostJson("/v1/events", seed.Reassignment("evt-r2", recordId: "INC-other"))).Expect(HttpStatusCode.OK);
        Assert.Equal("suppressed-duplicate", Assert.Single(SeedData.Outcomes(secondAgain)).Outcome);

        // Once the window has passed, a new event creates again and the suppressed one replayed still keeps its first
        // answer: shown on the fake clock of the grain tier (Coaching.Grains.Tests, DuplicateWindowTests).
    }

    [Fact]
    public async Task Two_hundred_concurrent_events_for_one_trainee_create_exactly_one_assessment()
    {
        var seed = new SeedData(api, "pl-burst");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var client = api.Integration();
            return await (await client.PostJson("/v1/events", seed.Reassignment($"evt-burst-{i}"))).Expect(HttpStatusCode.OK);
        }));

        var outcomes = answers.Select(a => Assert.Single(SeedData.Outcomes(a))).ToList();
        Assert.Single(outcomes, o => o.Outcome == "created");
        Assert.Equal(199, outcomes.Count(o => o.Outcome == "suppressed-duplicate"));
        Assert.All(outcomes, o => Assert.Equal(opportunity, o.OpportunityId));
    }

    [Fact]
    public async Task Sampling_keeps_thirty_percent_always_coach_keeps_all_and_replays_decide_the_same()
    {
        var seed = new SeedData(api, "pl-sample");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity(o =>
        {
            o["randomSamplePercent"] = 30;
            o["preventDuplicates"] = false;
            o["duplicateWindow"] = null;
        });
        var trainees = Enumerable.Range(0, 20).Select(i => $"{seed.Prefix}-t{i}").ToArray();
        foreach (var t in trainees)
        {
            await (await api.Admin().PutJson($"/v1/users/{t}", new { displayName = t })).Expect(HttpStatusCode.OK);
        }

        var events = Enumerable.Range(0, 5000).Select(i => seed.Reassignment($"evt-s-{i}", assignee: trainees[i % trainees.Length])).ToList();
        var first = await SendAll(events);
        var created = first.Count(o => o == "created");
        Assert.InRange(created, 1350, 1650);
        Assert.Equal(5000 - created, first.Count(o => o == "sampled-out"));

        var replayed = await SendAll(events);
        Assert.Equal(first, replayed);

        var always = await SendAll(Enumerable.Range(0, 300).Select(i => seed.Reassignment($"evt-s-always-{i}", assignee: seed.AlwaysCoached)).ToList());
        Assert.All(always, o => Assert.Equal("created", o));

        var stats = await StatsNow(opportunity, s => s.GetProperty("eventsMatched").GetInt64() == 5300);
        Assert.Equal(created + 300, stats.GetProperty("outcomes").GetProperty("created").GetInt64());
        Assert.Equal(5000 - created, stats.GetProperty("outcomes").GetProperty("sampled-out").GetInt64());
    }

    [Fact]
    public async Task Scripts_that_loop_allocate_or_recurse_forever_are_stopped_and_still_create()
    {
        var seed = new SeedData(api, "pl-script");
        await seed.Directory();
        string[] scripts =
        [
            "while (true) { }",
            "var s = 'x'; var parts = []; while (true) { s = s + s; parts.push(s); }",
            "function down(n) { return down(n + 1) + 1; } return { depth: down(0) };",
        ];
        var opportunities = new List<string>();
        foreach (var script in scripts)
        {
            opportunities.Add(await seed.CreateOpportunity(o => o["captureScript"] = script));
        }

        var healthy = await seed.CreateOpportunity(o => o["captureScript"] = "return { reassigned: previous.assigned_to + ' -> ' + current.assigned_to };");

        var answer = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-script-1"))).Expect(HttpStatusCode.OK);
        var outcomes = SeedData.Outcomes(answer);
        Assert.Equal(opportunities.Append(healthy).Order(StringComparer.Ordinal), outcomes.Select(o => o.OpportunityId));
        Assert.All(outcomes, o => Assert.Equal("created", o.Outcome));

        // Another trainee's event right after is unaffected.
        var other = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-script-2", assignee: seed.AlwaysCoached))).Expect(HttpStatusCode.OK);
        Assert.All(SeedData.Outcomes(other), o => Assert.Equal("created", o.Outcome));

        foreach (var opportunity in opportunities)
        {
            var stats = await StatsNow(opportunity, s => s.GetProperty("scriptErrors").GetInt64() == 2);
            Assert.Equal(2, stats.GetProperty("eventsMatched").GetInt64());
        }

        var healthyStats = await StatsNow(healthy, s => s.GetProperty("eventsMatched").GetInt64() == 2);
        Assert.Equal(0, healthyStats.GetProperty("scriptErrors").GetInt64());
    }

    [Fact]
    public async Task Trainee_steps_answer_no_trainee_unknown_trainee_and_not_in_trainee_group()
    {
        var seed = new SeedData(api, "pl-steps");
        await seed.Directory();
        await (await api.Admin().PutJson($"/v1/groups/{seed.Prefix}-team", new { displayName = "Team", members = new[] { seed.Trainee } })).Expect(HttpStatusCode.OK);
        await (await api.Admin().PutJson($"/v1/users/{seed.Prefix}-inactive", new { displayName = "Inactive", active = false })).Expect(HttpStatusCode.OK);
        var opportunity = await seed.CreateOpportunity(o => o["traineeGroup"] = $"{seed.Prefix}-team");
        var integration = api.Integration();

        async Task<string> OutcomeOf(string eventId, string assignee) =>
            Assert.Single(SeedData.Outcomes(await (await integration.PostJson("/v1/events", seed.Reassignment(eventId, assignee))).Expect(HttpStatusCode.OK))).Outcome;

        Assert.Equal("no-trainee", await OutcomeOf("evt-st-1", "  "));
        Assert.Equal("unknown-trainee", await OutcomeOf("evt-st-2", $"{seed.Prefix}-nobody"));
        Assert.Equal("unknown-trainee", await OutcomeOf("evt-st-3", $"{seed.Prefix}-inactive"));
        Assert.Equal("not-in-trainee-group", await OutcomeOf("evt-st-4", seed.AlwaysCoached));
        Assert.Equal("created", await OutcomeOf("evt-st-5", seed.Trainee));

        // An event whose moment does not match lists no opportunity.
        var unchanged = await (await integration.PostJson("/v1/events", new
        {
            eventId = "evt-st-6", table = seed.Table, recordId = "INC1", occurredAt = "2026-11-20T10:00:00Z",
            fields = new { assigned_to = seed.Trainee }, previous = new { assigned_to = seed.Trainee },
        })).Expect(HttpStatusCode.OK);
        Assert.Empty(SeedData.Outcomes(unchanged));

        var stats = await StatsNow(opportunity, s => s.GetProperty("eventsMatched").GetInt64() == 5);
        var counts = stats.GetProperty("outcomes");
        Assert.Equal(1, counts.GetProperty("no-trainee").GetInt64());
        Assert.Equal(2, counts.GetProperty("unknown-trainee").GetInt64());
        Assert.Equal(1, counts.GetProperty("not-in-trainee-group").GetInt64());
        Assert.Equal(1, counts.GetProperty("created").GetInt64());
    }

    [Fact]
    public async Task A_batch_answers_in_input_order_and_a_bad_event_fails_alone()
    {
        var seed = new SeedData(api, "pl-batch");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity(o => o["preventDuplicates"] = false);

        var body = new
        {
            events = new object[]
            {
                seed.Reassignment("evt-b-1"),
                new { eventId = "evt-b-bad", table = seed.Table, recordId = "INC1", occurredAt = "yesterday", fields = new { a = new[] { 1 } } },
                seed.Reassignment("evt-b-2", assignee: ""),
                seed.Reassignment("evt-b-1"),
            },
        };
        var answer = await (await api.Integration().PostJson("/v1/events/batch", body)).Expect(HttpStatusCode.OK);
        var results = answer.GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(4, results.Count);
        Assert.Equal("evt-b-1", results[0].GetProperty("eventId").GetString());
        Assert.Equal((opportunity, "created", AssessmentIds.For(opportunity, EventKeys.For(Sender, "evt-b-1"))), Assert.Single(SeedData.Outcomes(results[0])));
        Assert.Equal(1, results[1].GetProperty("index").GetInt32());
        var problem = results[1].GetProperty("problem");
        Assert.Equal("invalid-request", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("fields.a", out _));
        Assert.False(results[1].TryGetProperty("eventId", out _));
        Assert.Equal("no-trainee", Assert.Single(SeedData.Outcomes(results[2])).Outcome);
        Assert.Equal(results[0].GetRawText(), results[3].GetRawText());
    }

    [Fact]
    public async Task Malformed_events_and_batches_are_400_and_roles_are_enforced()
    {
        var integration = api.Integration();
        await (await integration.PostJson("/v1/events", new { eventId = "x", table = "t" })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await integration.PostJson("/v1/events", new { eventId = new string('e', 201), table = "t", recordId = "r", occurredAt = "2026-11-20T10:00:00Z", fields = new { } }))
            .Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await integration.PostJson("/v1/events/batch", new { events = Array.Empty<object>() })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        var tooMany = new { events = Enumerable.Range(0, 1001).Select(i => new { eventId = $"m{i}" }).ToArray() };
        await (await integration.PostJson("/v1/events/batch", tooMany)).Expect(HttpStatusCode.BadRequest, "invalid-request");

        Assert.Equal(HttpStatusCode.Forbidden, (await api.Admin().PostJson("/v1/events", new { eventId = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await integration.GetAsync("/v1/opportunities")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostJson("/v1/events", new { eventId = "x" })).StatusCode);
    }

    private async Task<List<string>> SendAll(List<object> events)
    {
        var outcomes = new List<string>();
        foreach (var chunk in events.Chunk(1000))
        {
            var answer = await (await api.Integration().PostJson("/v1/events/batch", new { events = chunk })).Expect(HttpStatusCode.OK);
            outcomes.AddRange(answer.GetProperty("results").EnumerateArray().Select(r => Assert.Single(SeedData.Outcomes(r)).Outcome));
        }

        return outcomes;
    }

    /// <summary>The stats as read right after the answers: they are counted with the answers, not sent later.</summary>
    private async Task<JsonElement> StatsNow(string opportunity, Func<JsonElement, bool> expected)
    {
        var stats = await (await api.Admin().GetAsync($"/v1/opportunities/{opportunity}/stats")).Expect(HttpStatusCode.OK);
        Assert.True(expected(stats), $"stats of {opportunity} right after the answers: {stats}");
        return stats;
    }
}

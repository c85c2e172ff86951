using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests.Pipeline;

/// <summary>The optional per-trainee budget (service setting), on a host of its own.</summary>
public sealed class BudgetTests : IAsyncLifetime
{
    private readonly CoachingApi api = new(new Dictionary<string, string?>
    {
        ["Coaching:Budget:MaxAssessments"] = "2",
        ["Coaching:Budget:Window"] = "P7D",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task A_trainee_gets_at_most_the_budget_across_opportunities_and_always_coach_does_not_bypass_it()
    {
        var seed = new SeedData(api, "bud");
        await seed.Directory();
        var first = await seed.CreateOpportunity(o => o["preventDuplicates"] = false);
        var second = await seed.CreateOpportunity(o =>
        {
            o["preventDuplicates"] = false;
            o["randomSamplePercent"] = 0;
        });

        // Two opportunities match each event; the always-coached trainee passes sampling on both.
        var answer = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-bud-1", assignee: seed.AlwaysCoached))).Expect(HttpStatusCode.OK);
        Assert.Equal([(first, "created"), (second, "created")], SeedData.Outcomes(answer).Select(o => (o.OpportunityId, o.Outcome)));

        var over = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-bud-2", assignee: seed.AlwaysCoached))).Expect(HttpStatusCode.OK);
        Assert.Equal([(first, "budget-exceeded"), (second, "budget-exceeded")], SeedData.Outcomes(over).Select(o => (o.OpportunityId, o.Outcome)));

        // Another trainee has a budget of its own; sampled-out events do not use it up.
        var batch = await (await api.Integration().PostJson("/v1/events/batch", new
        {
            events = Enumerable.Range(0, 3).Select(i => seed.Reassignment($"evt-bud-t{i}")).ToArray(),
        })).Expect(HttpStatusCode.OK);
        var outcomes = batch.GetProperty("results").EnumerateArray().Select(r => SeedData.Outcomes(r).Select(o => o.Outcome).ToArray()).ToList();
        Assert.Equal(["created", "sampled-out"], outcomes[0]);
        Assert.Equal(["created", "sampled-out"], outcomes[1]);
        Assert.Equal(["budget-exceeded", "sampled-out"], outcomes[2]);
    }
}

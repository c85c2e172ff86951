using Coaching.Moments;

namespace Coaching.Domain.Tests.Moments;

public class CoachingWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    // prior: "opportunity@hoursAgo;..." (negative hours = in the future)
    private static List<PriorAssessment> Prior(string spec) =>
        spec.Length == 0
            ? []
            : spec.Split(';').Select(p => p.Split('@'))
                .Select(p => new PriorAssessment(p[0], Now.AddHours(-double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))))
                .ToList();

    [Theory]
    // duplicates
    [InlineData("", true, 24, true, 0, 0, EventOutcome.Created)]
    [InlineData("COP1@2", true, 24, true, 0, 0, EventOutcome.SuppressedDuplicate)]
    [InlineData("COP1@23.99", true, 24, true, 0, 0, EventOutcome.SuppressedDuplicate)]
    [InlineData("COP1@24", true, 24, true, 0, 0, EventOutcome.Created)]
    [InlineData("COP1@30", true, 24, true, 0, 0, EventOutcome.Created)]
    [InlineData("COP1@-1", true, 24, true, 0, 0, EventOutcome.SuppressedDuplicate)]
    [InlineData("COP2@1", true, 24, true, 0, 0, EventOutcome.Created)]
    [InlineData("COP1@2", false, 24, true, 0, 0, EventOutcome.Created)]
    [InlineData("COP1@2", true, 0, true, 0, 0, EventOutcome.Created)]
    // duplicate is decided before sampling, sampling before budget
    [InlineData("COP1@2", true, 24, false, 0, 0, EventOutcome.SuppressedDuplicate)]
    [InlineData("", true, 24, false, 0, 0, EventOutcome.SampledOut)]
    [InlineData("COP2@1;COP3@2", true, 24, false, 2, 168, EventOutcome.SampledOut)]
    // budget: at most N across all opportunities within the budget window
    [InlineData("COP2@1;COP3@2", true, 24, true, 2, 168, EventOutcome.BudgetExceeded)]
    [InlineData("COP2@1;COP3@200", true, 24, true, 2, 168, EventOutcome.Created)]
    [InlineData("COP2@1;COP3@2", true, 24, true, 3, 168, EventOutcome.Created)]
    [InlineData("", true, 24, true, 0, 168, EventOutcome.BudgetExceeded)]
    [InlineData("COP1@30;COP1@40;COP1@50", true, 24, true, 3, 168, EventOutcome.BudgetExceeded)]
    public void Decides(string prior, bool preventDuplicates, double windowHours, bool sampledIn, int budgetMax, double budgetHours, EventOutcome expected)
    {
        var budget = budgetHours > 0 ? new CoachingBudget(budgetMax, TimeSpan.FromHours(budgetHours)) : null;
        var request = new CoachingRequest("COP1", preventDuplicates, TimeSpan.FromHours(windowHours), sampledIn, budget);
        Assert.Equal(expected, CoachingWindow.Decide(request, Prior(prior), Now));
    }

    [Fact]
    public void Recording_each_created_assessment_gives_one_per_window()
    {
        var prior = new List<PriorAssessment>();
        var request = new CoachingRequest("COP1", true, TimeSpan.FromDays(1), true);
        var created = 0;
        for (var minute = 0; minute < 3 * 24 * 60; minute += 7)
        {
            var at = Now.AddMinutes(minute);
            if (CoachingWindow.Decide(request, prior, at) == EventOutcome.Created)
            {
                prior.Add(new PriorAssessment("COP1", at));
                created++;
            }
        }

        Assert.Equal(3, created);
    }

    [Fact]
    public void Retain_drops_entries_outside_the_longest_window()
    {
        var kept = CoachingWindow.Retain(Prior("COP1@1;COP2@30;COP3@-2;COP4@23"), Now, TimeSpan.FromHours(24));
        Assert.Equal(["COP1", "COP3", "COP4"], kept.Select(p => p.OpportunityId));
    }

    [Fact]
    public void Outcome_wire_names()
    {
        Assert.Equal(
            ["created", "no-trainee", "unknown-trainee", "not-in-trainee-group", "suppressed-duplicate", "sampled-out", "budget-exceeded"],
            Enum.GetValues<EventOutcome>().Select(o => o.ToWire()));
        Assert.True(EventOutcomes.TryParse("sampled-out", out var parsed));
        Assert.Equal(EventOutcome.SampledOut, parsed);
        Assert.False(EventOutcomes.TryParse("Sampled-Out", out _));
        Assert.Equal("\"budget-exceeded\"", System.Text.Json.JsonSerializer.Serialize(EventOutcome.BudgetExceeded, new System.Text.Json.JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } }));
    }
}

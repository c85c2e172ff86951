using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Pipeline;

namespace Coaching.Domain.Tests.Opportunities;

public class OpportunityCountingTests
{
    private const string Opportunity = "COP0000001";
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    // created, started, resolved (3 h), reopened, expired (closed), reopened, overdue mark (no state change), expired.
    private static readonly Assessment Walked = new()
    {
        Id = "a-1", OpportunityId = Opportunity, TraineeId = "t1", State = AssessmentState.ClosedComplete,
        CreatedAt = Created, FirstResolvedAt = Created.AddHours(3),
        History =
        [
            new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, Created, null, AssessmentState.New, "created"),
            new AssessmentHistoryEntry("c1", Created.AddHours(1), AssessmentState.New, AssessmentState.InProgress, "started"),
            new AssessmentHistoryEntry("c1", Created.AddHours(3), AssessmentState.InProgress, AssessmentState.Resolved, "resolved"),
            new AssessmentHistoryEntry("t1", Created.AddHours(4), AssessmentState.Resolved, AssessmentState.InProgress, "reopened"),
            new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, Created.AddDays(5), AssessmentState.InProgress, AssessmentState.ClosedComplete, "expired"),
            new AssessmentHistoryEntry("t1", Created.AddDays(6), AssessmentState.ClosedComplete, AssessmentState.InProgress, "reopened"),
            new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, Created.AddDays(8), AssessmentState.InProgress, AssessmentState.InProgress, "expired"),
            new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, Created.AddDays(11), AssessmentState.InProgress, AssessmentState.ClosedComplete, "expired"),
        ],
    };

    public static TheoryData<int, AssessmentState, int, bool, bool> StandingOfEachStep => new()
    {
        // index, state, expiries so far, expired at this step, time to resolve known
        { 0, AssessmentState.New, 0, false, false },
        { 1, AssessmentState.InProgress, 0, false, false },
        { 2, AssessmentState.Resolved, 0, false, true },
        { 3, AssessmentState.InProgress, 0, false, true },
        { 4, AssessmentState.ClosedComplete, 1, true, true },
        { 5, AssessmentState.InProgress, 1, false, true },
        { 6, AssessmentState.InProgress, 1, false, true },
        { 7, AssessmentState.ClosedComplete, 2, true, true },
    };

    [Theory]
    [MemberData(nameof(StandingOfEachStep))]
    public void A_steps_report_is_the_standing_as_of_that_step_with_its_position_as_revision(int index, AssessmentState state, int expiries, bool expired, bool resolveTimeKnown)
    {
        var report = OpportunityCounting.Standing(Walked, index);

        Assert.Equal(("a-1", index + 1, state, expiries, expired), (report.AssessmentId, report.Revision, report.To, report.Expiries, report.Expired));
        Assert.Equal(resolveTimeKnown ? TimeSpan.FromHours(3) : null, report.TimeToResolve);
        Assert.Equal(report, OpportunityCounting.Standing(Walked, index)); // the same step gives the same report
    }

    [Theory]
    [InlineData(null, 1, true)]
    [InlineData(null, 0, false)] // a report stored in an outbox before reports carried a revision
    [InlineData(1, 1, false)] // the same report again
    [InlineData(1, 2, true)]
    [InlineData(3, 2, false)] // late
    [InlineData(2, 0, false)]
    public void Only_a_higher_revision_replaces_the_stored_standing(int? stored, int revision, bool replaces)
    {
        var report = new AssessmentTransition("a-1", null, AssessmentState.New, false, null, revision);

        Assert.Equal(replaces, OpportunityCounting.Replaces(stored, report));
    }

    /// <summary>Delivery orders of the reports of <see cref="Walked"/> (step indexes), as retries, crashes and races can produce them.</summary>
    public static TheoryData<string, int[]> Deliveries => new()
    {
        { "in order, once", [0, 1, 2, 3, 4, 5, 7] },
        { "each sent twice (outbox published again after a crash)", [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 7, 7] },
        { "a retry of an old report arrives last", [0, 1, 2, 3, 4, 5, 7, 2, 0] },
        { "only the last report of each transition", [0, 2, 4, 7] },
        { "reversed", [7, 5, 4, 3, 2, 1, 0] },
        { "the last one only", [7] },
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task Reports_repeated_late_or_out_of_order_count_the_assessment_once_in_its_last_standing(string delivery, int[] steps)
    {
        var counts = new InMemoryOpportunityCounts();
        foreach (var step in steps)
        {
            await counts.Put(Opportunity, OpportunityCounting.Standing(Walked, step));
        }

        var stats = await counts.Read(Opportunity);

        Assert.True(
            stats.AssessmentsByState.ToDictionary() is { Count: 1 } byState && byState[AssessmentState.ClosedComplete] == 1,
            $"{delivery}: {string.Join(", ", stats.AssessmentsByState)}");
        Assert.Equal(2, stats.Expired);
        Assert.Equal(TimeSpan.FromHours(3), stats.AverageTimeToResolve);
    }

    [Fact]
    public async Task Standings_of_several_assessments_add_up_per_state()
    {
        var counts = new InMemoryOpportunityCounts();
        var open = Walked with { Id = "a-2", FirstResolvedAt = null, History = Walked.History.Take(2).ToImmutableList() };
        var resolved = Walked with
        {
            Id = "a-3", FirstResolvedAt = Created.AddHours(5),
            History = [.. Walked.History.Take(2), Walked.History[2] with { At = Created.AddHours(5) }],
        };
        foreach (var (a, step) in new[] { (Walked, 7), (open, 1), (resolved, 2), (open, 0), (resolved, 2) })
        {
            await counts.Put(Opportunity, OpportunityCounting.Standing(a, step));
        }

        await counts.Put("COP0000002", OpportunityCounting.Standing(Walked with { Id = "a-4" }, 0));
        var stats = await counts.Read(Opportunity);

        Assert.Equal(
            new Dictionary<AssessmentState, long> { [AssessmentState.ClosedComplete] = 1, [AssessmentState.InProgress] = 1, [AssessmentState.Resolved] = 1 },
            stats.AssessmentsByState.ToDictionary());
        Assert.Equal(2, stats.Expired);
        Assert.Equal(TimeSpan.FromHours(4), stats.AverageTimeToResolve); // (3 h + 5 h) / 2
    }

    public static TheoryData<OpportunityOutcome[], bool[], (EventOutcome, bool)[]> OutcomeCounts => new()
    {
        { [], [], [] },
        { [new(Opportunity, EventOutcome.Created, "a-1")], [false], [(EventOutcome.Created, false)] },
        { [new(Opportunity, EventOutcome.Created, "a-1")], [true], [(EventOutcome.Created, true)] },
        // a script error counts only when the assessment was created
        { [new(Opportunity, EventOutcome.SampledOut)], [true], [(EventOutcome.SampledOut, false)] },
        { [new(Opportunity, EventOutcome.NoTrainee), new("COP0000002", EventOutcome.Created, "a-2")], [false, true], [(EventOutcome.NoTrainee, false), (EventOutcome.Created, true)] },
        // script errors not given (a caller that knows of none)
        { [new(Opportunity, EventOutcome.Created, "a-1")], [], [(EventOutcome.Created, false)] },
    };

    [Theory]
    [MemberData(nameof(OutcomeCounts))]
    public void A_first_answer_counts_each_outcome_once(OpportunityOutcome[] outcomes, bool[] scriptErrors, (EventOutcome, bool)[] expected)
    {
        var counts = OpportunityCounting.Of(new EventAnswer("evt-1", [.. outcomes]), scriptErrors);

        Assert.Equal(outcomes.Select(o => o.OpportunityId), counts.Select(c => c.OpportunityId));
        Assert.Equal(expected, counts.Select(c => (c.Outcome, c.ScriptError)));
    }

    /// <summary>Event keys sent to the answer store in turn (each a request): retries and replays repeat keys.</summary>
    public static TheoryData<string, string[][], int> Sends => new()
    {
        { "each event once", [["e1", "e2"], ["e3"]], 3 },
        { "a batch retried after an unknown outcome", [["e1", "e2"], ["e1", "e2"], ["e3"]], 3 },
        { "a key twice in one batch", [["e1", "e1", "e2"]], 2 },
        { "a replay of everything", [["e1"], ["e2"], ["e1", "e2"]], 2 },
    };

    [Theory]
    [MemberData(nameof(Sends))]
    public async Task Outcomes_are_counted_with_the_first_answer_only(string sends, string[][] requests, int events)
    {
        var counts = new InMemoryOpportunityCounts();
        var answers = new InMemoryEventAnswers(counts);
        foreach (var request in requests)
        {
            await answers.RecordAll([.. request.Select(key =>
            {
                var answer = new EventAnswer(key, [new OpportunityOutcome(Opportunity, EventOutcome.Created, "a-" + key)]);
                return new AnswerToStore(key, answer, OpportunityCounting.Of(answer, [true]));
            })]);
        }

        var stats = await counts.Read(Opportunity);

        Assert.True(events == stats.EventsMatched, $"{sends}: {stats.EventsMatched} matched");
        Assert.Equal(events, stats.Outcomes[EventOutcome.Created]);
        Assert.Equal(events, stats.ScriptErrors);
    }

    [Fact]
    public void Stats_sum_rows_that_list_a_key_twice_and_leave_out_zero_counts()
    {
        var stats = OpportunityCounting.Stats(
            Opportunity,
            [new(EventOutcome.Created, 5, 1), new(EventOutcome.SampledOut, 2, 0), new(EventOutcome.Created, 3, 1), new(EventOutcome.NoTrainee, 0, 0)],
            [new(AssessmentState.New, 6, 0, 0, TimeSpan.Zero), new(AssessmentState.Resolved, 2, 1, 2, TimeSpan.FromHours(6))]);

        Assert.Equal(10, stats.EventsMatched);
        Assert.Equal(new Dictionary<EventOutcome, long> { [EventOutcome.Created] = 8, [EventOutcome.SampledOut] = 2 }, stats.Outcomes.ToDictionary());
        Assert.Equal(2, stats.ScriptErrors);
        Assert.Equal(1, stats.Expired);
        Assert.Equal(TimeSpan.FromHours(3), stats.AverageTimeToResolve);
        Assert.Null(OpportunityCounting.Stats(Opportunity, [], []).AverageTimeToResolve);
    }
}

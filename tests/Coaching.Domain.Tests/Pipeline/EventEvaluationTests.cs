using System.Collections.Immutable;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Pipeline;

namespace Coaching.Domain.Tests.Pipeline;

public class EventEvaluationTests
{
    private static Opportunity Opportunity(string id, int version = 1, string table = "incident", Func<OpportunityDefinition, OpportunityDefinition>? change = null)
    {
        var definition = new OpportunityDefinition
        {
            Name = id,
            SourceTable = table,
            TraineeField = "assigned_to",
            CoachGroup = "coaches",
            MomentJson = """{"all":[{"field":"assigned_to","operator":"changes"}]}""",
            SnapshotFields = ["resolution_code", "missing"],
            AlwaysCoach = ["u-always"],
            PreventDuplicates = true,
            DuplicateWindow = TimeSpan.FromDays(1),
        };
        return new Opportunity { Id = id, Version = version, Definition = change is null ? definition : change(definition) };
    }

    private static OpportunityCatalogView View(params Opportunity[] active) =>
        OpportunityCatalogView.Empty.Next(new OpportunityCatalogSnapshot(1, [.. active]));

    private static IncomingEvent Event(string eventId, string? assignee, string? previous = "u-42", string table = "incident")
    {
        var fields = ImmutableDictionary<string, string?>.Empty.Add("assigned_to", assignee).Add("resolution_code", "fixed");
        var before = previous is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add("assigned_to", previous);
        return new IncomingEvent(eventId, table, "INC1", DateTimeOffset.UnixEpoch, fields, before);
    }

    [Fact]
    public void Only_opportunities_of_the_events_table_whose_moment_matches_are_listed()
    {
        var view = View(Opportunity("COP0000002"), Opportunity("COP0000001"), Opportunity("COP0000003", table: "case"));

        Assert.Equal(["COP0000001", "COP0000002"], EventEvaluation.Evaluate(view, "k", Event("e1", "u-17")).Select(m => m.OpportunityId));
        Assert.Empty(EventEvaluation.Evaluate(view, "k", Event("e2", "u-17", previous: "u-17")));
        Assert.Empty(EventEvaluation.Evaluate(view, "k", Event("e3", "u-17", table: "problem")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_trainee_field_is_no_trainee_without_a_candidate(string? assignee)
    {
        var match = Assert.Single(EventEvaluation.Evaluate(View(Opportunity("COP0000001")), "k", Event("e1", assignee)));
        Assert.Equal(EventOutcome.NoTrainee, match.Outcome);
        Assert.Null(match.Candidate);
    }

    [Fact]
    public void A_candidate_carries_the_snapshot_the_version_and_the_source()
    {
        var match = Assert.Single(EventEvaluation.Evaluate(View(Opportunity("COP0000001", version: 4)), "sender-key", Event("e1", " u-17 ")));
        var candidate = match.Candidate!;
        Assert.Equal("u-17", match.TraineeId);
        Assert.Equal("sender-key", candidate.SenderEventKey);
        Assert.True(candidate.SampledIn);
        Assert.Equal(4, candidate.Assessment.OpportunityVersion);
        Assert.Equal("fixed", candidate.Assessment.Snapshot["resolution_code"]);
        Assert.True(candidate.Assessment.Snapshot.ContainsKey("missing"));
        Assert.Null(candidate.Assessment.Snapshot["missing"]);
        Assert.Equal(new Coaching.Assessments.AssessmentSource("incident", "INC1", "e1"), candidate.Assessment.Source);
        Assert.Equal(TimeSpan.FromDays(1), candidate.DuplicateWindow);
    }

    [Fact]
    public void Sampling_uses_the_event_id_and_always_coach_bypasses_it()
    {
        var view = View(Opportunity("COP0000001", change: d => d with { RandomSamplePercent = 0 }));
        Assert.False(EventEvaluation.Evaluate(view, "k", Event("e1", "u-17")).Single().Candidate!.SampledIn);
        Assert.True(EventEvaluation.Evaluate(view, "k", Event("e1", "u-always")).Single().Candidate!.SampledIn);
    }

    [Fact]
    public void A_failing_script_becomes_the_script_error_and_a_good_one_adds_to_the_snapshot()
    {
        var view = View(
            Opportunity("COP0000001", change: d => d with { CaptureScript = "while (true) { }" }),
            Opportunity("COP0000002", change: d => d with { CaptureScript = "return { resolution_code: 'overridden', from: previous.assigned_to };" }));
        var matches = EventEvaluation.Evaluate(view, "k", Event("e1", "u-17"));

        Assert.StartsWith("Script stopped", matches[0].Candidate!.Assessment.ScriptError, StringComparison.Ordinal);
        Assert.True(matches[0].HasScriptError);
        Assert.Equal("fixed", matches[0].Candidate!.Assessment.Snapshot["resolution_code"]);
        Assert.Null(matches[1].Candidate!.Assessment.ScriptError);
        Assert.Equal("overridden", matches[1].Candidate!.Assessment.Snapshot["resolution_code"]);
        Assert.Equal("u-42", matches[1].Candidate!.Assessment.Snapshot["from"]);
    }

    [Fact]
    public void The_view_reuses_prepared_opportunities_of_unchanged_versions_and_drops_removed_ones()
    {
        var first = View(Opportunity("COP0000001"), Opportunity("COP0000002"));
        var kept = first.For("incident")[0];
        var next = first.Next(new OpportunityCatalogSnapshot(2, [Opportunity("COP0000001"), Opportunity("COP0000003", version: 1, table: "case")]));

        Assert.Equal(2, next.Version);
        Assert.Same(kept, Assert.Single(next.For("incident")));
        Assert.Equal("COP0000003", Assert.Single(next.For("case")).Id);
        Assert.Empty(next.For("problem"));
    }

    [Theory]
    [InlineData("a", "b:c", "a:b", "c")]
    [InlineData("1:a", "b", "1", "a:b")]
    public void Event_keys_of_different_senders_and_ids_never_collide(string sender1, string id1, string sender2, string id2) =>
        Assert.NotEqual(EventKeys.For(sender1, id1), EventKeys.For(sender2, id2));
}

using Coaching.Assessments;
using Coaching.Inbox;
using Coaching.Opportunities;
using Coaching.Notifications;

namespace Coaching.Domain.Tests.Assessments;

public class AssessmentEffectsTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static readonly Assessment Open = new()
    {
        Id = "a-1", OpportunityId = "COP0000001", TraineeId = "t1", CoachId = "c1", CoachGroupId = "g1", State = AssessmentState.InProgress,
        CreatedAt = Created, DueAt = Created.AddDays(5), Duration = TimeSpan.FromDays(5), TraineeSurveyId = "s1",
        History =
        [
            new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, Created, null, AssessmentState.New, "created"),
            new AssessmentHistoryEntry("c1", Created.AddHours(1), AssessmentState.New, AssessmentState.InProgress, "started"),
        ],
    };

    private static string Name(string id) => "Name of " + id;

    [Fact]
    public void A_reassignment_stores_the_new_line_the_queue_it_left_and_the_new_coachs_notice()
    {
        var d = AssessmentLifecycle.Reassign(Open, new AssessmentActor("c1", IsCoach: true), "c2", ["c1", "c2"], Created.AddHours(2));

        var outbox = AssessmentEffects.Of(Open, d.State, d.Events, Name);

        Assert.Equal(AssessmentSummary.Of(d.State), outbox.Line);
        Assert.Equal(3, outbox.Line!.Revision);
        Assert.Equal(["trainee:t1", "coach:c2", "group:g1"], outbox.Queues);
        Assert.Equal(["coach:c1"], outbox.LeftQueues);
        var notice = Assert.Single(outbox.Notices);
        Assert.Equal("c2", notice.Recipient);
        Assert.Equal(("a-1:3:AssessmentAssigned", NotificationType.AssessmentAssigned), (notice.Draft.DeliveryKey, notice.Draft.Type));
        Assert.Equal("You have been assigned a coaching assessment for Name of t1.", notice.Draft.Text);
        Assert.Empty(outbox.Reports);
        Assert.Empty(outbox.Events);
        Assert.Null(outbox.Before);
        Assert.False(outbox.IsEarlierShape);
    }

    [Fact]
    public void A_first_resolution_stores_its_stats_report_and_survey_orders_but_no_copy_of_the_assessment()
    {
        var resolvedAt = Created.AddHours(3);
        var d = AssessmentLifecycle.Resolve(Open with { Notes = [new AssessmentNote("t1", Created, new string('x', 10_000))] },
            new AssessmentActor("c1", IsCoach: true), "Done.", AssessmentRating.Good, "None.", resolvedAt);

        var outbox = AssessmentEffects.Of(Open, d.State, d.Events, Name);

        var report = Assert.Single(outbox.Reports);
        Assert.Equal("resolved", report.Action);
        Assert.Equal((AssessmentState.InProgress, AssessmentState.Resolved, false), (report.Transition.From, report.Transition.To, report.Transition.Expired));
        Assert.Equal(TimeSpan.FromHours(3), report.Transition.TimeToResolve);
        Assert.Equal(["t1"], outbox.Notices.Select(n => n.Recipient));
        Assert.IsType<SurveysDue>(Assert.Single(outbox.Events));
        Assert.Empty(outbox.LeftQueues);
        Assert.DoesNotContain(outbox.Notices, n => n.Draft.Text.Contains("xxxx", StringComparison.Ordinal));
    }

    [Fact]
    public void Creation_leaves_no_queue()
    {
        var outbox = AssessmentEffects.Of(null, Open, [], Name);

        Assert.Empty(outbox.LeftQueues);
        Assert.Equal(2, outbox.Reports.Count);
    }

    // Pending queues (to, left), next queues (to, left) -> the merged (to, left).
    public static TheoryData<string[], string[], string[], string[], string[], string[]> Merges => new()
    {
        // Reassigned c1 -> c2 while the first reassignment's lines are still pending, then c2 -> c3.
        { ["t:1", "c:2"], ["c:1"], ["t:1", "c:3"], ["c:2"], ["t:1", "c:3"], ["c:2", "c:1"] },
        // Handed back to the coach it left: that queue gets the new line and is not left.
        { ["t:1", "c:2"], ["c:1"], ["t:1", "c:1"], ["c:2"], ["t:1", "c:1"], ["c:2"] },
        // Nothing left pending of the earlier one.
        { [], [], ["t:1"], [], ["t:1"], [] },
        // Closed: the new line goes nowhere new; every queue either named is left.
        { ["t:1", "g:1"], [], [], ["t:1"], [], ["t:1", "g:1"] },
    };

    [Theory]
    [MemberData(nameof(Merges))]
    public void Effects_still_pending_merge_with_the_next_transitions_so_the_newest_line_wins_and_no_queue_keeps_a_stale_one(
        string[] pendingTo, string[] pendingLeft, string[] nextTo, string[] nextLeft, string[] mergedTo, string[] mergedLeft)
    {
        var line = AssessmentSummary.Of(Open);
        var pending = new AssessmentOutbox { Line = line, Queues = [.. pendingTo], LeftQueues = [.. pendingLeft], Notices = [Notice("old")], Reports = [] };
        var next = new AssessmentOutbox { Line = line with { Revision = line.Revision + 1 }, Queues = [.. nextTo], LeftQueues = [.. nextLeft], Notices = [Notice("new")] };

        var merged = AssessmentEffects.Then(pending, next);

        Assert.Equal(next.Line, merged.Line);
        Assert.Equal(mergedTo, merged.Queues);
        Assert.Equal(mergedLeft, merged.LeftQueues);
        Assert.Equal(["old", "new"], merged.Notices.Select(n => n.Draft.DeliveryKey));
        Assert.Same(next, AssessmentEffects.Then(null, next));
    }

    [Fact]
    public void An_outbox_is_done_only_when_no_queue_notice_survey_order_or_report_is_left()
    {
        var line = AssessmentSummary.Of(Open);
        Assert.True(AssessmentEffects.IsDone(new AssessmentOutbox { Line = line }));
        Assert.True(AssessmentEffects.IsDone(new AssessmentOutbox { Line = line, Events = [new SurveysDue([])] }));
        Assert.False(AssessmentEffects.IsDone(new AssessmentOutbox { Line = line, Queues = ["t:1"] }));
        Assert.False(AssessmentEffects.IsDone(new AssessmentOutbox { Line = line, LeftQueues = ["c:1"] }));
        Assert.False(AssessmentEffects.IsDone(new AssessmentOutbox { Line = line, Notices = [Notice("n")] }));
        Assert.False(AssessmentEffects.IsDone(new AssessmentOutbox { Line = line, Events = [new SurveysDue([new SurveyOrder("s1", "t1", SurveyAudience.FilledByTrainee)])] }));
        Assert.False(AssessmentEffects.IsDone(new AssessmentOutbox
        {
            Line = line,
            Reports = [new TransitionReport("started", new AssessmentTransition("a-1", AssessmentState.New, AssessmentState.InProgress, false, null))],
        }));
        // A row of the earlier shape still has its effects to work out.
        Assert.False(AssessmentEffects.IsDone(new AssessmentOutbox { Before = Open }));
    }

    private static PendingNotice Notice(string key) =>
        new("c1", new NotificationDraft(key, NotificationType.AssessmentAssigned, "text", new NotificationSubject(NotificationSubjectKind.Assessment, "a-1")));
}

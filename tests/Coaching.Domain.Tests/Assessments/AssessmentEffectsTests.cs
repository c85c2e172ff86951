using Coaching.Assessments;
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
        Assert.Equal(("a-1:AssessmentAssigned:3", NotificationType.AssessmentAssigned), (notice.Draft.DeliveryKey, notice.Draft.Type));
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
}

using Coaching.Assessments;
using Coaching.Notifications;

namespace Coaching.Domain.Tests.Assessments;

public class AssessmentNoticesTests
{
    private static readonly Assessment Subject = new() { Id = "a-1", TraineeId = "t1", CoachId = "c1" };

    private static string Name(string id) => id switch { "t1" => "Tia Trainee", "c1" => "Cora Coach", _ => id };

    public static TheoryData<AssessmentEvent, NotificationType, string[], string> Cases => new()
    {
        { new CoachAssigned("c1", null), NotificationType.AssessmentAssigned, ["c1"], "You have been assigned a coaching assessment for Tia Trainee." },
        { new AssessmentResolved("t1"), NotificationType.AssessmentResolved, ["t1"], "Cora Coach has resolved your coaching assessment." },
        { new AssessmentExpired("c1", "t1"), NotificationType.AssessmentExpired, ["c1", "t1"], "Coaching assessment for Tia Trainee has been closed because it has expired." },
        { new AssessmentExpired(null, "t1"), NotificationType.AssessmentExpired, ["t1"], "Coaching assessment for Tia Trainee has been closed because it has expired." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Assessment_events_notify_the_right_people(AssessmentEvent domainEvent, NotificationType type, string[] recipients, string text)
    {
        var n = Assert.Single(AssessmentNotices.For(Subject, domainEvent, Name));

        Assert.Equal((type, text), (n.Type, n.Text));
        Assert.Equal(recipients, n.Recipients.ToArray());
        Assert.Equal(new NotificationSubject(NotificationSubjectKind.Assessment, "a-1"), n.Subject);
    }

    [Fact]
    public void Overdue_and_survey_events_have_no_assessment_notification_of_their_own()
    {
        Assert.Empty(AssessmentNotices.For(Subject, new AssessmentOverdue("c1", "t1"), Name));
        Assert.Empty(AssessmentNotices.For(Subject, new SurveysDue([]), Name));
    }

    [Fact]
    public void A_survey_request_notifies_its_respondent()
    {
        var request = new SurveyRequest("sr-1", "a-1", "coach-effectiveness", "t1", SurveyAudience.FilledByTrainee, DateTimeOffset.UnixEpoch);

        var n = AssessmentNotices.SurveyRequested(request, "Coach effectiveness", "Cora Coach");

        Assert.Equal(NotificationType.SurveyRequested, n.Type);
        Assert.Equal(["t1"], n.Recipients.ToArray());
        Assert.Equal("Please fill in the survey Coach effectiveness about Cora Coach.", n.Text);
        Assert.Equal(new NotificationSubject(NotificationSubjectKind.SurveyRequest, "sr-1"), n.Subject);
    }
}

using System.Collections.Immutable;
using Coaching.Notifications;

namespace Coaching.Assessments;

/// <summary>
/// Notifications of assessment events (SPEC: assigned -> coach, resolved -> trainee, expired ->
/// coach and trainee; survey requested -> respondent). SPEC gives no texts for these; ours follow
/// the style of the session texts. The <c>displayName</c> function maps a user id to its display name.
/// </summary>
public static class AssessmentNotices
{
    public static ImmutableArray<NotificationMessage> For(Assessment assessment, AssessmentEvent domainEvent, Func<string, string> displayName)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(domainEvent);
        ArgumentNullException.ThrowIfNull(displayName);
        var subject = new NotificationSubject(NotificationSubjectKind.Assessment, assessment.Id);
        var trainee = displayName(assessment.TraineeId);
        return domainEvent switch
        {
            CoachAssigned e =>
                [new NotificationMessage([e.CoachId], NotificationType.AssessmentAssigned,
                    $"You have been assigned a coaching assessment for {trainee}.", subject)],
            AssessmentResolved e =>
                [new NotificationMessage([e.TraineeId], NotificationType.AssessmentResolved,
                    $"{CoachName(assessment, displayName)} has resolved your coaching assessment.", subject)],
            AssessmentExpired e =>
                [new NotificationMessage(e.CoachId is null ? [e.TraineeId] : [e.CoachId, e.TraineeId], NotificationType.AssessmentExpired,
                    $"Coaching assessment for {trainee} has been closed because it has expired.", subject)],
            _ => [],
        };
    }

    /// <summary>Tells a respondent that a survey waits for them.</summary>
    public static NotificationMessage SurveyRequested(SurveyRequest request, string surveyName, string aboutName)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new NotificationMessage([request.RespondentId], NotificationType.SurveyRequested,
            $"Please fill in the survey {surveyName} about {aboutName}.",
            new NotificationSubject(NotificationSubjectKind.SurveyRequest, request.Id));
    }

    private static string CoachName(Assessment a, Func<string, string> displayName) =>
        a.CoachId is null ? "Your coach" : displayName(a.CoachId);
}

using Coaching.Notifications;

namespace Coaching.Sessions;

/// <summary>
/// The notification of each session event, word for word as SPEC B's table, with display names
/// filled in, and its recipients. "Coach" always means every coach user (each member of a coach
/// group, as expanded when the session was suggested or last edited). Recipients are distinct and
/// in a stable order (supervisor first, then coaches, then trainees). A deleted supervisor is still
/// notified: deleting a user changes nothing that refers to it.
/// </summary>
public static class SessionNotices
{
    /// <summary>suggested -> the coach (each member, for a group).</summary>
    public static NotificationMessage Suggested(SuggestedSession session, string supervisorName) =>
        Message(session, session.CoachUsers, NotificationType.SessionSuggested,
            $"{supervisorName} suggested a coaching session.");

    /// <summary>canceled by supervisor -> coach.</summary>
    public static NotificationMessage CanceledBySupervisor(SuggestedSession session) =>
        Message(session, session.CoachUsers, NotificationType.SessionCanceledBySupervisor,
            "Suggested Coaching Session has been canceled.");

    /// <summary>expired -> supervisor and coach.</summary>
    public static NotificationMessage Expired(SuggestedSession session) =>
        Message(session, [session.SuggestedBy, .. session.CoachUsers], NotificationType.SessionExpired,
            "Coaching Session has been canceled because the suggested coaching session was not scheduled and has expired.");

    /// <summary>canceled by coach -> supervisor.</summary>
    public static NotificationMessage CanceledByCoach(SuggestedSession session, string coachName, string reason) =>
        Message(session, [session.SuggestedBy], NotificationType.SessionCanceledByCoach,
            $"Coaching Session has been canceled as {coachName} has declined the suggested session because of {reason}.");

    /// <summary>canceled by trainee -> supervisor and coach.</summary>
    public static NotificationMessage CanceledByTrainee(SuggestedSession session, string traineeName, string reason) =>
        Message(session, [session.SuggestedBy, .. session.CoachUsers], NotificationType.SessionCanceledByTrainee,
            $"Coaching Session has been canceled as {traineeName} has declined the suggested session because of {reason}.");

    /// <summary>scheduled -> supervisor (and trainees).</summary>
    public static NotificationMessage Scheduled(SuggestedSession session, string coachName) =>
        Message(session, [session.SuggestedBy, .. session.TraineeUsers], NotificationType.SessionScheduled,
            $"{coachName} has scheduled a session based on your suggestion.");

    private static NotificationMessage Message(SuggestedSession session, IEnumerable<string> recipients, NotificationType type, string text)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new NotificationMessage(
            [.. recipients.Distinct(StringComparer.Ordinal)],
            type,
            text,
            new NotificationSubject(NotificationSubjectKind.Session, session.Id));
    }
}

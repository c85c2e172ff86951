using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Coaching.Notifications;

/// <summary>Notification types; wire names exactly as API.md ("Notifications").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationType>))]
public enum NotificationType
{
    [JsonStringEnumMemberName("session-suggested")] SessionSuggested,
    [JsonStringEnumMemberName("session-canceled-by-supervisor")] SessionCanceledBySupervisor,
    [JsonStringEnumMemberName("session-expired")] SessionExpired,
    [JsonStringEnumMemberName("session-canceled-by-coach")] SessionCanceledByCoach,
    [JsonStringEnumMemberName("session-canceled-by-trainee")] SessionCanceledByTrainee,
    [JsonStringEnumMemberName("session-scheduled")] SessionScheduled,
    [JsonStringEnumMemberName("assessment-assigned")] AssessmentAssigned,
    [JsonStringEnumMemberName("assessment-resolved")] AssessmentResolved,
    [JsonStringEnumMemberName("assessment-expired")] AssessmentExpired,
    [JsonStringEnumMemberName("survey-requested")] SurveyRequested,
}

/// <summary>What a notification is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationSubjectKind>))]
public enum NotificationSubjectKind
{
    [JsonStringEnumMemberName("session")] Session,
    [JsonStringEnumMemberName("assessment")] Assessment,
    [JsonStringEnumMemberName("survey-request")] SurveyRequest,
}

/// <summary>The resource a notification points at (the <c>subject</c> of API.md).</summary>
[GenerateSerializer, Immutable, Alias("coaching.notification-subject")]
public sealed record NotificationSubject(
    [property: Id(0)] NotificationSubjectKind Kind,
    [property: Id(1)] string Id);

/// <summary>
/// A notification to deliver: the same type and text to every recipient. The rules produce these;
/// the grain fans them out to each recipient's inbox as <see cref="Notification"/>s.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.notification-message")]
public sealed record NotificationMessage(
    [property: Id(0)] ImmutableArray<string> Recipients,
    [property: Id(1)] NotificationType Type,
    [property: Id(2)] string Text,
    [property: Id(3)] NotificationSubject Subject);

using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Coaching.Assessments;

// The events are kept in the assessment's outbox until acted on, so they are stored: hence the serializer attributes.

/// <summary>Something the grain must act on after a transition (notify, send surveys, ...).</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-event")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$event")]
[JsonDerivedType(typeof(CoachAssigned), "coach-assigned")]
[JsonDerivedType(typeof(AssessmentResolved), "resolved")]
[JsonDerivedType(typeof(SurveysDue), "surveys-due")]
[JsonDerivedType(typeof(AssessmentExpired), "expired")]
[JsonDerivedType(typeof(AssessmentOverdue), "overdue")]
public abstract record AssessmentEvent;

/// <summary>A coach was assigned (at creation, by claim or by reassign): notify that coach.</summary>
[GenerateSerializer, Immutable, Alias("coaching.coach-assigned")]
public sealed record CoachAssigned([property: Id(0)] string CoachId, [property: Id(1)] string? PreviousCoachId) : AssessmentEvent;

/// <summary>The assessment entered Resolved: notify the trainee.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-resolved")]
public sealed record AssessmentResolved([property: Id(0)] string TraineeId) : AssessmentEvent;

/// <summary>Surveys to send (first entry into Resolved only): create one survey request per order.</summary>
[GenerateSerializer, Immutable, Alias("coaching.surveys-due")]
public sealed record SurveysDue([property: Id(0)] ImmutableArray<SurveyOrder> Orders) : AssessmentEvent;

/// <summary>One survey to send to one respondent.</summary>
[GenerateSerializer, Immutable, Alias("coaching.survey-order")]
public sealed record SurveyOrder([property: Id(0)] string SurveyId, [property: Id(1)] string RespondentId, [property: Id(2)] SurveyAudience Audience);

/// <summary>Due date passed and close-on-expiry is on: it was closed. Notify coach (if any) and trainee.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-expired")]
public sealed record AssessmentExpired([property: Id(0)] string? CoachId, [property: Id(1)] string TraineeId) : AssessmentEvent;

/// <summary>Due date passed and close-on-expiry is off: it stays open, marked overdue.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-overdue")]
public sealed record AssessmentOverdue([property: Id(0)] string? CoachId, [property: Id(1)] string TraineeId) : AssessmentEvent;

/// <summary>
/// Result of a command: the state to keep (unchanged on refusal), the events to act on, and the
/// refusal if any. <see cref="Changed"/> is false for an accepted no-op (e.g. an expiry check
/// before the due date, or claiming an assessment one already holds): nothing to persist.
/// </summary>
public sealed record AssessmentDecision(
    Assessment State,
    ImmutableArray<AssessmentEvent> Events,
    Refusal? Refusal,
    bool Changed)
{
    public bool IsAccepted => Refusal is null;

    internal static AssessmentDecision Refuse(Assessment state, Refusal refusal) => new(state, [], refusal, false);

    internal static AssessmentDecision Unchanged(Assessment state) => new(state, [], null, false);

    internal static AssessmentDecision Accept(Assessment state, params ImmutableArray<AssessmentEvent> events) =>
        new(state, events, null, true);
}

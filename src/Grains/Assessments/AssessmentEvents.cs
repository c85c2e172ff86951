using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>Something the grain must act on after a transition (notify, send surveys, ...).</summary>
public abstract record AssessmentEvent;

/// <summary>A coach was assigned (at creation, by claim or by reassign): notify that coach.</summary>
public sealed record CoachAssigned(string CoachId, string? PreviousCoachId) : AssessmentEvent;

/// <summary>The assessment entered Resolved: notify the trainee.</summary>
public sealed record AssessmentResolved(string TraineeId) : AssessmentEvent;

/// <summary>Surveys to send (first entry into Resolved only): create one survey request per order.</summary>
public sealed record SurveysDue(ImmutableArray<SurveyOrder> Orders) : AssessmentEvent;

/// <summary>One survey to send to one respondent.</summary>
public sealed record SurveyOrder(string SurveyId, string RespondentId, SurveyAudience Audience);

/// <summary>Due date passed and close-on-expiry is on: it was closed. Notify coach (if any) and trainee.</summary>
public sealed record AssessmentExpired(string? CoachId, string TraineeId) : AssessmentEvent;

/// <summary>Due date passed and close-on-expiry is off: it stays open, marked overdue.</summary>
public sealed record AssessmentOverdue(string? CoachId, string TraineeId) : AssessmentEvent;

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


namespace Coaching.Sessions;

/// <summary>What a session command answers: the session as it now is, or why it was refused (then unchanged).</summary>
[GenerateSerializer, Immutable, Alias("coaching.session-outcome")]
public sealed record SessionOutcome(
    [property: Id(0)] SuggestedSession? Session,
    [property: Id(1)] Refusal? Refusal)
{
    public bool IsAccepted => Refusal is null;
}

/// <summary>
/// One suggested coaching session, keyed by its id (<c>SES…</c>): its state machine, its expiry
/// reminder, its notifications and its rows on the session lists (<see cref="ISessionListGrain"/>).
/// </summary>
[Alias("coaching.ISuggestionGrain")]
public interface ISuggestionGrain : IGrainWithStringKey
{
    /// <summary>Creates the session; refused with invalid-state when the id is already taken.</summary>
    [Alias("Suggest")] Task<SessionOutcome> Suggest(string supervisorId, SessionDraft draft);

    /// <summary>The session, or null when no session has this id.</summary>
    [Alias("Get")] Task<SuggestedSession?> Get();

    [Alias("Edit")] Task<SessionOutcome> Edit(string actorId, SessionChanges changes);

    [Alias("Delete")] Task<SessionOutcome> Delete(string actorId);

    [Alias("Schedule")] Task<SessionOutcome> Schedule(string actorId, DateTimeOffset scheduledAt, int durationMinutes, SessionChanges changes);

    [Alias("Decline")] Task<SessionOutcome> Decline(string actorId, string? reason);

    [Alias("Complete")] Task<SessionOutcome> Complete(string actorId, string? notes);
}

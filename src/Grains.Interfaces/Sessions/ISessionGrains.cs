using System.Collections.Immutable;

namespace Coaching.Sessions;

/// <summary>What a session command answers: the session as it now is, or why it was refused (then unchanged).</summary>
[GenerateSerializer, Immutable, Alias("Coaching.Sessions.SessionOutcome")]
public sealed record SessionOutcome(
    [property: Id(0)] SuggestedSession? Session,
    [property: Id(1)] Refusal? Refusal)
{
    public bool IsAccepted => Refusal is null;
}

/// <summary>
/// One suggested coaching session, keyed by its id (<c>SES…</c>): its state machine, its expiry
/// reminder, its notifications and its entries in the view indexes.
/// </summary>
[Alias("Coaching.Sessions.ISuggestionGrain")]
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

/// <summary>Which view an index serves.</summary>
public enum SessionIndexKind
{
    /// <summary>Sessions a supervisor suggested (supervisor home), keyed by the supervisor's user id.</summary>
    Supervisor,
    /// <summary>Sessions whose coach users include the user (coach home), keyed by user id.</summary>
    Coach,
    /// <summary>Sessions whose trainee users include the agent (agent page), keyed by user id.</summary>
    Agent,
    /// <summary>Sessions that reference the case (case page), keyed by case id.</summary>
    Case,
}

/// <summary>
/// The ids of the sessions on one view (one supervisor, coach, agent or case), oldest first. Entries are
/// ids only: the views read each session's current state and filter with the visibility rules.
/// Key: <see cref="KeyOf"/>.
/// </summary>
[Alias("Coaching.Sessions.ISessionIndexGrain")]
public interface ISessionIndexGrain : IGrainWithStringKey
{
    [Alias("Add")] Task Add(string sessionId);

    [Alias("Remove")] Task Remove(string sessionId);

    [Alias("List")] Task<ImmutableArray<string>> List();

    static string KeyOf(SessionIndexKind kind, string id) => kind switch
    {
        SessionIndexKind.Supervisor => $"supervisor:{id}",
        SessionIndexKind.Coach => $"coach:{id}",
        SessionIndexKind.Agent => $"agent:{id}",
        _ => $"case:{id}",
    };
}

using System.Collections.Immutable;

namespace Coaching.Sessions;

/// <summary>
/// Who is looking at sessions: the token's <c>sub</c>, its <c>suggestions.view</c> permission, and its admin and
/// supervisor roles. Passed to the list grains so they filter with the same rule as <c>GET /v1/sessions/{id}</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.session-viewer")]
public sealed record SessionViewer(
    [property: Id(0)] string UserId,
    [property: Id(1)] bool HasSuggestionsView,
    [property: Id(2)] bool IsAdmin = false,
    [property: Id(3)] bool IsSupervisor = false);

/// <summary>
/// One row of a session list: what a list needs to order a session, to decide who may see it (every field the
/// visibility rule reads), and to age it out. Pushed by the session to each of its lists after every change.
/// </summary>
/// <remarks>
/// <see cref="Revision"/> is the session's history count when the row was made. Every change adds a history entry, so
/// of two rows of one session the higher revision is the newer, whatever order they arrive in.
/// </remarks>
[GenerateSerializer, Immutable, Alias("coaching.session-row")]
public sealed record SessionRow(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] int Revision,
    [property: Id(3)] SessionState State,
    [property: Id(4)] bool WasScheduled,
    [property: Id(5)] string SuggestedBy,
    [property: Id(6)] ImmutableArray<string> CoachUsers,
    [property: Id(7)] ImmutableArray<string> TraineeUsers,
    [property: Id(8)] DateTimeOffset? ClosedAt)
{
    /// <summary>The row of a session as it is now. Coach users include a coach user the directory no longer knows.</summary>
    public static SessionRow Of(SuggestedSession s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var coaches = s.Coach.Type == ParticipantType.User && !s.CoachUsers.Contains(s.Coach.Id)
            ? s.CoachUsers.Add(s.Coach.Id)
            : s.CoachUsers;
        var closed = s.State is SessionState.Completed or SessionState.Canceled && !s.History.IsDefaultOrEmpty
            ? s.History[^1].At
            : (DateTimeOffset?)null;
        return new(s.Id, s.CreatedAt, s.History.IsDefault ? 0 : s.History.Length, s.State, s.ScheduledAt is not null,
            s.SuggestedBy, coaches, s.TraineeUsers, closed);
    }
}

/// <summary>One page of a session list, newest suggestion first; <see cref="NextCursor"/> is a <see cref="Lists.ListCursor"/>.</summary>
[GenerateSerializer, Immutable, Alias("coaching.session-row-page")]
public sealed record SessionRowPage(
    [property: Id(0)] ImmutableArray<SessionRow> Items,
    [property: Id(1)] string? NextCursor,
    [property: Id(2)] int RowsRead);

/// <summary>
/// A list of sessions (a supervisor's, a coach's, an agent's, a case's; keys from <see cref="SessionLists"/>) as rows
/// paged inside the grain from its store, filtered by the session visibility rule for the viewer.
/// </summary>
[Alias("coaching.ISessionListGrain")]
public interface ISessionListGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces the row of one session, unless the list holds a newer one (idempotent).</summary>
    [Alias("Put")] Task Put(SessionRow row);

    /// <summary>Takes the session off the list as of <paramref name="revision"/>: an older row arriving later does not bring it back.</summary>
    [Alias("Remove")] Task Remove(string sessionId, int revision);

    /// <summary>
    /// The rows <paramref name="viewer"/> may read, newest first, after <paramref name="cursor"/> (the previous page's
    /// next cursor). When every row is readable a page reads at most <paramref name="limit"/> rows.
    /// </summary>
    [Alias("List")] Task<SessionRowPage> List(SessionViewer viewer, int limit, string? cursor);
}

/// <summary>The keys of the session lists, and which lists a session belongs on.</summary>
public static class SessionLists
{
    /// <summary>Supervisor home: the sessions a supervisor suggested.</summary>
    public static string OfSupervisor(string userId) => "supervisor:" + userId;

    /// <summary>Coach home: the sessions whose coach users include the user.</summary>
    public static string OfCoach(string userId) => "coach:" + userId;

    /// <summary>Agent page: the sessions whose trainee users include the agent.</summary>
    public static string OfAgent(string userId) => "agent:" + userId;

    /// <summary>Case page: the sessions that reference the case.</summary>
    public static string OfCase(string caseId) => "case:" + caseId;

    /// <summary>The lists the session belongs on as it is now.</summary>
    public static ImmutableHashSet<string> For(SuggestedSession s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var row = SessionRow.Of(s);
        return ImmutableHashSet.CreateRange(StringComparer.Ordinal,
            new[] { OfSupervisor(s.SuggestedBy) }
                .Concat(row.CoachUsers.Select(OfCoach))
                .Concat(s.TraineeUsers.Select(OfAgent))
                .Concat(s.ReferenceCases.Select(OfCase)));
    }
}

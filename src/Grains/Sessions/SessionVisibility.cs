namespace Coaching.Sessions;

/// <summary>
/// SPEC B "Who sees what", as one rule: whether a viewer may read a session. <c>GET /v1/sessions/{id}</c> answers 404
/// when it says no, and every list leaves such a session out, so no list shows what the single read hides. The rule
/// reads only what a <see cref="SessionRow"/> carries, so a list decides from its rows without asking the sessions.
/// <list type="bullet">
/// <item>Without <c>suggestions.view</c> no session still Suggested is shown, to anyone (admins included: the
/// permission is about the feature, not the object).</item>
/// <item>Admins and supervisors see every session (SPEC: "supervisors and admins see every session on agent and case
/// pages"); its coach users (directly or through its coach group) and the supervisor who suggested it see it.</item>
/// <item>A trainee sees its own sessions, except one canceled before it was scheduled.</item>
/// </list>
/// Which sessions a list holds (the supervisor's, the coach's, the agent's, the case's) is the list's membership,
/// kept by the session itself (<see cref="SessionLists.For"/>); this rule is the only filter on top of it.
/// </summary>
public static class SessionVisibility
{
    public static bool CanRead(SuggestedSession session, SessionViewer viewer) => CanRead(SessionRow.Of(session), viewer);

    public static bool CanRead(SessionRow row, SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(viewer);
        if (!PermissionAllows(row, viewer))
        {
            return false;
        }

        return viewer.IsAdmin
            || viewer.IsSupervisor
            || row.SuggestedBy == viewer.UserId
            || row.CoachUsers.Contains(viewer.UserId)
            || (row.TraineeUsers.Contains(viewer.UserId) && !CanceledBeforeScheduled(row));
    }

    /// <summary>The <c>suggestions.view</c> gate: a session still Suggested needs the permission.</summary>
    public static bool PermissionAllows(SessionRow row, SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(viewer);
        return row.State != SessionState.Suggested || viewer.HasSuggestionsView;
    }

    /// <summary>Canceled while Suggested, i.e. never scheduled.</summary>
    public static bool CanceledBeforeScheduled(SessionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.State == SessionState.Canceled && !row.WasScheduled;
    }
}

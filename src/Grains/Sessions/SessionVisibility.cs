namespace Coaching.Sessions;

/// <summary>Who is looking: the token's <c>sub</c>, its <c>suggestions.view</c> permission, and admin.</summary>
public sealed record SessionViewer(string UserId, bool HasSuggestionsView, bool IsAdmin = false);

/// <summary>
/// SPEC B "Who sees what", as predicates the HTTP layer applies after its role checks. A session a
/// predicate rejects answers 404 (single read) or is left out (lists).
/// <list type="bullet">
/// <item>Without <c>suggestions.view</c> no session still Suggested is shown, on any page, to anyone
/// (admins included: the permission is about the feature, not the object).</item>
/// <item>An agent never sees a session canceled before it was scheduled. Every cancel happens from
/// Suggested, so for an agent (a trainee reading their own sessions) Canceled sessions are hidden;
/// supervisors and coaches looking at the agent page still see them.</item>
/// </list>
/// </summary>
public static class SessionVisibility
{
    /// <summary>The <c>suggestions.view</c> gate, common to every page.</summary>
    public static bool PermissionAllows(SuggestedSession session, SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(viewer);
        return session.State != SessionState.Suggested || viewer.HasSuggestionsView;
    }

    /// <summary>Canceled while Suggested, i.e. never scheduled.</summary>
    public static bool CanceledBeforeScheduled(SuggestedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.State == SessionState.Canceled && session.ScheduledAt is null;
    }

    /// <summary>Supervisor's home (<c>/v1/me/suggested-sessions</c>): the sessions they suggested.</summary>
    public static bool OnSupervisorHome(SuggestedSession session, SessionViewer viewer) =>
        PermissionAllows(session, viewer) && session.SuggestedBy == viewer.UserId;

    /// <summary>Coach's home (<c>/v1/me/coaching-sessions</c>): suggested to them or to a group they are in.</summary>
    public static bool OnCoachHome(SuggestedSession session, SessionViewer viewer) =>
        PermissionAllows(session, viewer) && SessionLifecycle.IsCoachUser(session, viewer.UserId);

    /// <summary>
    /// Agent page (<c>/v1/agents/{agentId}/sessions</c>): sessions where the agent is a trainee
    /// (directly or through a group, as expanded when suggested or edited). When the viewer is the
    /// agent, sessions canceled before they were scheduled are hidden. Whether the viewer may open
    /// this agent's page at all (supervisor/coach, or the agent themself) is the HTTP layer's role check.
    /// </summary>
    public static bool OnAgentPage(SuggestedSession session, string agentId, SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(viewer);
        return PermissionAllows(session, viewer)
            && session.TraineeUsers.Contains(agentId)
            && !(viewer.UserId == agentId && CanceledBeforeScheduled(session));
    }

    /// <summary>Case page (<c>/v1/cases/{caseId}/sessions</c>): sessions that reference the case.</summary>
    public static bool OnCasePage(SuggestedSession session, string caseId, SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(session);
        return PermissionAllows(session, viewer) && session.ReferenceCases.Contains(caseId);
    }

    /// <summary>
    /// <c>GET /v1/sessions/{id}</c>: its supervisor, its coach users, its trainees (as agents, so not
    /// once canceled before scheduling), or an admin; always behind the <c>suggestions.view</c> gate.
    /// </summary>
    public static bool CanRead(SuggestedSession session, SessionViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(viewer);
        if (!PermissionAllows(session, viewer))
        {
            return false;
        }

        return viewer.IsAdmin
            || session.SuggestedBy == viewer.UserId
            || SessionLifecycle.IsCoachUser(session, viewer.UserId)
            || (session.TraineeUsers.Contains(viewer.UserId) && !CanceledBeforeScheduled(session));
    }
}

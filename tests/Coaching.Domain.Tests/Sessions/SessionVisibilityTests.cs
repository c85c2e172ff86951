using Coaching.Sessions;
using static Coaching.Domain.Tests.Sessions.SessionFixtures;

namespace Coaching.Domain.Tests.Sessions;

public class SessionVisibilityTests
{
    public enum Page { SupervisorHome, CoachHome, AgentPage, CasePage, Read }

    private static bool Shows(Page page, SuggestedSession s, SessionViewer viewer, string key) => page switch
    {
        Page.SupervisorHome => SessionVisibility.OnSupervisorHome(s, viewer),
        Page.CoachHome => SessionVisibility.OnCoachHome(s, viewer),
        Page.AgentPage => SessionVisibility.OnAgentPage(s, key, viewer),
        Page.CasePage => SessionVisibility.OnCasePage(s, key, viewer),
        _ => SessionVisibility.CanRead(s, viewer),
    };

    // Session: coach group "coaches" (coach, coach2), trainees t1 + team (t1, t2), case CASE-9, by "sup".
    public static TheoryData<Page, SessionState, string, bool, string, bool> Cases => new()
    {
        // page, state, viewer, has suggestions.view, page key, shown
        { Page.SupervisorHome, SessionState.Suggested, Supervisor, true, "", true },
        { Page.SupervisorHome, SessionState.Suggested, Supervisor, false, "", false },
        { Page.SupervisorHome, SessionState.Scheduled, Supervisor, false, "", true },
        { Page.SupervisorHome, SessionState.Suggested, "other-sup", true, "", false },
        { Page.CoachHome, SessionState.Suggested, Coach2, true, "", true },
        { Page.CoachHome, SessionState.Suggested, Coach2, false, "", false },
        { Page.CoachHome, SessionState.Scheduled, Coach, false, "", true },
        { Page.CoachHome, SessionState.Suggested, Trainee1, true, "", false },
        { Page.AgentPage, SessionState.Suggested, Supervisor, true, Trainee2, true },
        { Page.AgentPage, SessionState.Suggested, Supervisor, false, Trainee2, false },
        { Page.AgentPage, SessionState.Scheduled, Supervisor, true, "u-other", false },
        { Page.AgentPage, SessionState.Canceled, Coach, true, Trainee1, true },
        { Page.AgentPage, SessionState.Canceled, Trainee1, true, Trainee1, false },
        { Page.AgentPage, SessionState.Scheduled, Trainee1, false, Trainee1, true },
        { Page.AgentPage, SessionState.Completed, Trainee2, false, Trainee2, true },
        { Page.CasePage, SessionState.Scheduled, Coach, false, "CASE-9", true },
        { Page.CasePage, SessionState.Scheduled, Coach, false, "CASE-1", false },
        { Page.CasePage, SessionState.Suggested, Coach, false, "CASE-9", false },
        { Page.Read, SessionState.Suggested, Trainee1, false, "", false },
        { Page.Read, SessionState.Scheduled, Trainee1, false, "", true },
        { Page.Read, SessionState.Canceled, Trainee1, true, "", false },
        { Page.Read, SessionState.Canceled, Coach2, true, "", true },
        { Page.Read, SessionState.Scheduled, "stranger", true, "", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Who_sees_what(Page page, SessionState state, string viewerId, bool hasView, string key, bool shown)
    {
        var s = WithCoachGroup(state);

        Assert.Equal(shown, Shows(page, s, new SessionViewer(viewerId, hasView), key));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Admins_read_any_session_behind_the_permission_gate(bool hasView, bool shown)
    {
        Assert.Equal(shown, SessionVisibility.CanRead(WithCoachGroup(SessionState.Suggested), new SessionViewer("admin", hasView, IsAdmin: true)));
    }

    private static SuggestedSession WithCoachGroup(SessionState state)
    {
        var s = Suggested(G("coaches"));
        var later = Now.AddHours(1);
        return state switch
        {
            SessionState.Suggested => s,
            SessionState.Scheduled => Accepted(SessionLifecycle.Schedule(s, Coach, later.AddDays(1), 30, SessionChanges.None, later, People)),
            SessionState.Completed => Accepted(SessionLifecycle.Complete(WithCoachGroup(SessionState.Scheduled), Coach, "done", later.AddDays(2))),
            _ => Accepted(SessionLifecycle.Delete(s, Supervisor, later)),
        };
    }
}

using Coaching.Sessions;
using static Coaching.Domain.Tests.Sessions.SessionFixtures;

namespace Coaching.Domain.Tests.Sessions;

public class SessionVisibilityTests
{
    public enum Shape { Suggested, Scheduled, Completed, CanceledBeforeScheduled }

    // Session: coach group "coaches" (coach, coach2), trainees t1 + team (t1, t2), case CASE-9, by "sup".
    public static TheoryData<Shape, string, bool, bool, bool, bool> Cases => new()
    {
        // shape, viewer, suggestions.view, admin, supervisor role, may read
        { Shape.Suggested, Supervisor, true, false, true, true },
        { Shape.Suggested, Supervisor, false, false, true, false },
        { Shape.Scheduled, Supervisor, false, false, true, true },
        { Shape.Suggested, "other-sup", true, false, true, true },
        { Shape.Suggested, "other-sup", false, false, true, false },
        { Shape.CanceledBeforeScheduled, "other-sup", false, false, true, true },
        { Shape.Suggested, Coach2, true, false, false, true },
        { Shape.Suggested, Coach2, false, false, false, false },
        { Shape.Scheduled, Coach, false, false, false, true },
        { Shape.CanceledBeforeScheduled, Coach, true, false, false, true },
        { Shape.Scheduled, "other-coach", true, false, false, false },
        { Shape.Completed, "other-coach", true, false, false, false },
        { Shape.Suggested, Trainee1, true, false, false, true },
        { Shape.Suggested, Trainee1, false, false, false, false },
        { Shape.Scheduled, Trainee2, false, false, false, true },
        { Shape.Completed, Trainee2, false, false, false, true },
        { Shape.CanceledBeforeScheduled, Trainee1, true, false, false, false },
        { Shape.Scheduled, "stranger", true, false, false, false },
        { Shape.Suggested, "admin", true, true, false, true },
        { Shape.Suggested, "admin", false, true, false, false },
        { Shape.CanceledBeforeScheduled, "admin", false, true, false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_rule_decides_who_reads_a_session(Shape shape, string viewerId, bool hasView, bool admin, bool supervisor, bool shown)
    {
        var s = WithCoachGroup(shape);
        var viewer = new SessionViewer(viewerId, hasView, admin, supervisor);

        Assert.Equal(shown, SessionVisibility.CanRead(s, viewer));
        // A list decides from the session's row alone, and decides the same.
        Assert.Equal(shown, SessionVisibility.CanRead(SessionRow.Of(s), viewer));
    }

    [Fact]
    public void A_row_carries_what_the_rule_reads()
    {
        var canceled = WithCoachGroup(Shape.CanceledBeforeScheduled);
        var row = SessionRow.Of(canceled);

        Assert.Equal((canceled.Id, canceled.CreatedAt, canceled.History.Length, SessionState.Canceled, false, Supervisor),
            (row.Id, row.CreatedAt, row.Revision, row.State, row.WasScheduled, row.SuggestedBy));
        Assert.Equal([Coach, Coach2], row.CoachUsers.ToArray());
        Assert.Equal([Trainee1, Trainee2], row.TraineeUsers.ToArray());
        Assert.Equal(canceled.History[^1].At, row.ClosedAt);
        Assert.Null(SessionRow.Of(WithCoachGroup(Shape.Scheduled)).ClosedAt);
        Assert.True(SessionRow.Of(WithCoachGroup(Shape.Completed)).WasScheduled);
        // A coach user is on the row even when the directory no longer lists it among the coach users.
        Assert.Contains(Coach, SessionRow.Of(Suggested() with { CoachUsers = [] }).CoachUsers);
    }

    [Fact]
    public void A_session_is_on_its_supervisors_coaches_agents_and_cases_lists()
    {
        Assert.Equal(
            ["supervisor:sup", "coach:coach", "coach:coach2", "agent:t1", "agent:t2", "case:CASE-9"],
            SessionLists.For(WithCoachGroup(Shape.Scheduled)).OrderBy(k => k[0] switch { 's' => 0, 'c' when k.StartsWith("coach", StringComparison.Ordinal) => 1, 'a' => 2, _ => 3 }).ThenBy(k => k, StringComparer.Ordinal));
    }

    private static SuggestedSession WithCoachGroup(Shape shape)
    {
        var s = Suggested(G("coaches"));
        var later = Now.AddHours(1);
        return shape switch
        {
            Shape.Suggested => s,
            Shape.Scheduled => Accepted(SessionLifecycle.Schedule(s, Coach, later.AddDays(1), 30, SessionChanges.None, later, People)),
            Shape.Completed => Accepted(SessionLifecycle.Complete(WithCoachGroup(Shape.Scheduled), Coach, "done", later.AddDays(2))),
            _ => Accepted(SessionLifecycle.Delete(s, Supervisor, later)),
        };
    }
}

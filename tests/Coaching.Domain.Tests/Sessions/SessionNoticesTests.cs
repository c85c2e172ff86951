using Coaching.Notifications;
using Coaching.Sessions;
using static Coaching.Domain.Tests.Sessions.SessionFixtures;

namespace Coaching.Domain.Tests.Sessions;

public class SessionNoticesTests
{
    private static readonly DateTimeOffset Later = Now.AddHours(1);

    // The session of these cases: coach group "coaches" (coach, coach2); trainees t1 + group "team" (t1, t2).
    public static TheoryData<string, NotificationType, string[], string> Events => new()
    {
        { "suggested", NotificationType.SessionSuggested, [Coach, Coach2], "Sam Super suggested a coaching session." },
        { "deleted", NotificationType.SessionCanceledBySupervisor, [Coach, Coach2], "Suggested Coaching Session has been canceled." },
        { "expired", NotificationType.SessionExpired, [Supervisor, Coach, Coach2], "Coaching Session has been canceled because the suggested coaching session was not scheduled and has expired." },
        { "coach declined", NotificationType.SessionCanceledByCoach, [Supervisor], "Coaching Session has been canceled as Carl Coach has declined the suggested session because of a conflicting training." },
        { "trainee declined", NotificationType.SessionCanceledByTrainee, [Supervisor, Coach, Coach2], "Coaching Session has been canceled as Tom Trainee has declined the suggested session because of annual leave." },
        { "scheduled", NotificationType.SessionScheduled, [Supervisor, Trainee1, Trainee2], "Cora Coach has scheduled a session based on your suggestion." },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Text_and_recipients_match_the_spec(string transition, NotificationType type, string[] recipients, string text)
    {
        var s = Suggested(G("coaches"));
        var d = transition switch
        {
            "suggested" => SessionLifecycle.Suggest("s-1", Supervisor, Draft(G("coaches"), [U(Trainee1), G("team")]), Now, People),
            "deleted" => SessionLifecycle.Delete(s, Supervisor, Later),
            "expired" => SessionLifecycle.CheckExpiry(s, s.ExpiresAt),
            "coach declined" => SessionLifecycle.Decline(s, Coach2, "a conflicting training", Later, People),
            "trainee declined" => SessionLifecycle.Decline(s, Trainee2, "annual leave", Later, People),
            _ => SessionLifecycle.Schedule(s, Coach, Later.AddDays(1), 30, SessionChanges.None, Later, People),
        };

        var n = Assert.Single(d.Notifications);
        Assert.Equal(type, n.Type);
        Assert.Equal(text, n.Text);
        Assert.Equal(recipients, n.Recipients.ToArray());
        Assert.Equal(new NotificationSubject(NotificationSubjectKind.Session, "s-1"), n.Subject);
    }

    [Fact]
    public void A_single_coach_user_is_the_only_coach_recipient()
    {
        var d = SessionLifecycle.Decline(Suggested(), Trainee1, "sick", Later, People);

        Assert.Equal([Supervisor, Coach], d.Notifications[0].Recipients.ToArray());
    }
}

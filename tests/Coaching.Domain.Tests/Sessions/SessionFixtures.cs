using System.Collections.Immutable;
using Coaching.Sessions;

namespace Coaching.Domain.Tests.Sessions;

/// <summary>A small directory and helpers shared by the session tests.</summary>
internal static class SessionFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public const string Supervisor = "sup";
    public const string Coach = "coach";
    public const string Coach2 = "coach2";
    public const string Trainee1 = "t1";
    public const string Trainee2 = "t2";

    public static readonly DirectorySnapshot People = new(
        [
            new DirectoryUser(Supervisor, "Sam Super"),
            new DirectoryUser(Coach, "Cora Coach"),
            new DirectoryUser(Coach2, "Carl Coach"),
            new DirectoryUser(Trainee1, "Tia Trainee"),
            new DirectoryUser(Trainee2, "Tom Trainee"),
            new DirectoryUser("gone", "Gone User", Deleted: true),
        ],
        [
            new DirectoryGroup("coaches", "Coaches", [Coach, Coach2]),
            new DirectoryGroup("team", "Team", [Trainee1, Trainee2]),
            new DirectoryGroup("team-with-sup", "Team with its supervisor", [Supervisor, Trainee1]),
            new DirectoryGroup("sup-only", "Only the supervisor", [Supervisor]),
            new DirectoryGroup("sup-and-gone", "Supervisor and a deleted user", [Supervisor, "gone"]),
            new DirectoryGroup("coach-and-t2", "Coach and trainee 2", [Coach, Trainee2]),
            new DirectoryGroup("t1-and-coach2", "Trainee 1 and coach 2", [Trainee1, Coach2]),
            new DirectoryGroup("old", "Deleted group", [Trainee1], Deleted: true),
        ],
        ["empathy", "escalations"]);

    public static Participant U(string id) => Participant.User(id);

    public static Participant G(string id) => Participant.Group(id);

    public static SessionDraft Draft(Participant? coach = null, ImmutableArray<Participant>? trainees = null, string area = "empathy", DateTimeOffset? expiresAt = null) =>
        new("Empathy on escalations", coach ?? U(Coach), trainees ?? [U(Trainee1)], area, expiresAt, ["CASE-9"]);

    /// <summary>A fresh Suggested session: coach user "coach", trainees t1 and group "team".</summary>
    public static SuggestedSession Suggested(Participant? coach = null)
    {
        var d = SessionLifecycle.Suggest("s-1", Supervisor, Draft(coach, [U(Trainee1), G("team")]), Now, People);
        Assert.True(d.IsAccepted, d.Refusal?.Message);
        return d.State;
    }

    public static SuggestedSession InState(SessionState state)
    {
        var s = Suggested();
        return state switch
        {
            SessionState.Suggested => s,
            SessionState.Scheduled => Accepted(SessionLifecycle.Schedule(s, Coach, Now.AddDays(1), 30, SessionChanges.None, Now, People)),
            SessionState.Completed => Accepted(SessionLifecycle.Complete(InState(SessionState.Scheduled), Coach, "went well", Now.AddDays(2))),
            SessionState.Canceled => Accepted(SessionLifecycle.Delete(s, Supervisor, Now)),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }

    public static SuggestedSession Accepted(SessionDecision d)
    {
        Assert.True(d.IsAccepted, d.Refusal?.Message);
        return d.State;
    }
}

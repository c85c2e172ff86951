using Coaching.Notifications;
using Coaching.Sessions;
using static Coaching.Domain.Tests.Sessions.SessionFixtures;

namespace Coaching.Domain.Tests.Sessions;

public class SessionLifecycleTests
{
    public enum Command { Edit, Delete, Schedule, CoachDeclines, TraineeDeclines, Complete, CheckExpiry }

    private static readonly DateTimeOffset Later = Now.AddHours(1);

    private static SessionDecision Run(Command command, SuggestedSession s, DateTimeOffset at) => command switch
    {
        Command.Edit => SessionLifecycle.Edit(s, Supervisor, new SessionChanges(Title: "New title"), at, People),
        Command.Delete => SessionLifecycle.Delete(s, Supervisor, at),
        Command.Schedule => SessionLifecycle.Schedule(s, Coach, at.AddDays(1), 45, SessionChanges.None, at, People),
        Command.CoachDeclines => SessionLifecycle.Decline(s, Coach, "no time", at, People),
        Command.TraineeDeclines => SessionLifecycle.Decline(s, Trainee2, "on leave", at, People),
        Command.Complete => SessionLifecycle.Complete(s, Coach, "good talk", at),
        Command.CheckExpiry => SessionLifecycle.CheckExpiry(s, s.ExpiresAt),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    // from, command, expected state (null: refused with invalid-state), expected canceledBy
    public static TheoryData<SessionState, Command, SessionState?, CanceledBy?> Transitions => new()
    {
        { SessionState.Suggested, Command.Edit, SessionState.Suggested, null },
        { SessionState.Suggested, Command.Delete, SessionState.Canceled, CanceledBy.Supervisor },
        { SessionState.Suggested, Command.Schedule, SessionState.Scheduled, null },
        { SessionState.Suggested, Command.CoachDeclines, SessionState.Canceled, CanceledBy.Coach },
        { SessionState.Suggested, Command.TraineeDeclines, SessionState.Canceled, CanceledBy.Trainee },
        { SessionState.Suggested, Command.Complete, null, null },
        { SessionState.Suggested, Command.CheckExpiry, SessionState.Canceled, CanceledBy.Expired },
        { SessionState.Scheduled, Command.Edit, null, null },
        { SessionState.Scheduled, Command.Delete, null, null },
        { SessionState.Scheduled, Command.Schedule, null, null },
        { SessionState.Scheduled, Command.CoachDeclines, null, null },
        { SessionState.Scheduled, Command.TraineeDeclines, null, null },
        { SessionState.Scheduled, Command.Complete, SessionState.Completed, null },
        { SessionState.Completed, Command.Edit, null, null },
        { SessionState.Completed, Command.Delete, null, null },
        { SessionState.Completed, Command.Schedule, null, null },
        { SessionState.Completed, Command.CoachDeclines, null, null },
        { SessionState.Completed, Command.TraineeDeclines, null, null },
        { SessionState.Completed, Command.Complete, null, null },
        { SessionState.Canceled, Command.Edit, null, null },
        { SessionState.Canceled, Command.Delete, null, null },
        { SessionState.Canceled, Command.Schedule, null, null },
        { SessionState.Canceled, Command.CoachDeclines, null, null },
        { SessionState.Canceled, Command.TraineeDeclines, null, null },
        { SessionState.Canceled, Command.Complete, null, null },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Every_command_in_every_state(SessionState from, Command command, SessionState? expected, CanceledBy? canceledBy)
    {
        var s = InState(from);

        var d = Run(command, s, Later);

        if (expected is null)
        {
            Assert.Equal(RefusalKind.InvalidState, d.Refusal?.Kind);
            Assert.Equal("invalid-state", d.Refusal!.Code);
            Assert.Same(s, d.State);
            Assert.Empty(d.Notifications);
            return;
        }

        Assert.True(d.IsAccepted, d.Refusal?.Message);
        Assert.Equal(expected, d.State.State);
        Assert.Equal(canceledBy, d.State.CanceledBy);
        var last = d.State.History[^1];
        Assert.Equal(from, last.From);
        Assert.Equal(expected, last.To);
        Assert.Equal(s.History.Length + 1, d.State.History.Length);
    }

    [Theory]
    [InlineData(SessionState.Scheduled)]
    [InlineData(SessionState.Completed)]
    [InlineData(SessionState.Canceled)]
    public void Expiry_check_outside_Suggested_changes_nothing(SessionState state)
    {
        var s = InState(state);

        var d = SessionLifecycle.CheckExpiry(s, s.ExpiresAt.AddYears(1));

        Assert.True(d.IsAccepted);
        Assert.False(d.Changed);
        Assert.Same(s, d.State);
        Assert.Null(SessionLifecycle.PendingExpiryAt(s));
    }

    [Fact]
    public void Expiry_check_is_idempotent()
    {
        var s = Suggested();
        Assert.Equal(s.ExpiresAt, SessionLifecycle.PendingExpiryAt(s));

        var before = SessionLifecycle.CheckExpiry(s, s.ExpiresAt.AddTicks(-1));
        var first = SessionLifecycle.CheckExpiry(s, s.ExpiresAt);
        var second = SessionLifecycle.CheckExpiry(first.State, s.ExpiresAt.AddDays(3));

        Assert.False(before.Changed);
        Assert.Equal(SessionState.Suggested, before.State.State);
        Assert.True(first.Changed);
        Assert.Equal(CanceledBy.Expired, first.State.CanceledBy);
        Assert.Single(first.Notifications);
        Assert.False(second.Changed);
        Assert.Empty(second.Notifications);
        Assert.Same(first.State, second.State);
        Assert.Equal("system", first.State.History[^1].Actor);
    }

    [Theory]
    [InlineData(Command.Edit)]
    [InlineData(Command.Delete)]
    [InlineData(Command.Schedule)]
    [InlineData(Command.CoachDeclines)]
    [InlineData(Command.TraineeDeclines)]
    public void A_suggestion_past_its_expiry_is_treated_as_expired_even_before_the_check(Command command)
    {
        var s = Suggested();

        var d = Run(command, s, s.ExpiresAt);

        Assert.Equal(RefusalKind.InvalidState, d.Refusal?.Kind);
    }

    [Fact]
    public void Default_expiry_is_three_months()
    {
        Assert.Equal(Now.AddMonths(3), Suggested().ExpiresAt);
    }

    // command, actor who may not do it
    public static TheoryData<string, string> WrongActors => new()
    {
        { "edit", Coach },
        { "edit", Trainee1 },
        { "delete", Coach },
        { "schedule", Supervisor },
        { "schedule", Trainee1 },
        { "decline", Supervisor },
        { "decline", "stranger" },
        { "complete", Supervisor },
        { "complete", Trainee1 },
    };

    [Theory]
    [MemberData(nameof(WrongActors))]
    public void Only_the_right_person_acts(string command, string actor)
    {
        var suggested = Suggested();
        var scheduled = InState(SessionState.Scheduled);

        var d = command switch
        {
            "edit" => SessionLifecycle.Edit(suggested, actor, new SessionChanges(Title: "x"), Later, People),
            "delete" => SessionLifecycle.Delete(suggested, actor, Later),
            "schedule" => SessionLifecycle.Schedule(suggested, actor, Later.AddDays(1), 30, SessionChanges.None, Later, People),
            "decline" => SessionLifecycle.Decline(suggested, actor, "why", Later, People),
            _ => SessionLifecycle.Complete(scheduled, actor, "notes", Later),
        };

        Assert.Equal(RefusalKind.NotAllowed, d.Refusal?.Kind);
    }

    [Fact]
    public void A_member_of_a_coach_group_schedules_and_is_recorded()
    {
        var s = Suggested(G("coaches"));
        Assert.Equal([Coach, Coach2], s.CoachUsers.ToArray());

        var d = SessionLifecycle.Schedule(s, Coach2, Later.AddDays(1), 30, SessionChanges.None, Later, People);

        Assert.Equal(SessionState.Scheduled, d.State.State);
        Assert.Equal(Coach2, d.State.ScheduledBy);
        Assert.Equal(Coach2, d.State.History[^1].Actor);
        Assert.Equal("Carl Coach has scheduled a session based on your suggestion.", Assert.Single(d.Notifications).Text);
    }

    [Theory]
    [InlineData("reason", null)]
    [InlineData("reason", "")]
    [InlineData("reason", "  ")]
    public void Declining_needs_a_reason(string field, string? reason)
    {
        var d = SessionLifecycle.Decline(Suggested(), Coach, reason, Later, People);

        Assert.Equal(RefusalKind.InvalidRequest, d.Refusal?.Kind);
        Assert.Equal(field, d.Refusal!.Reasons[0].Field);
    }

    [Theory]
    [InlineData(-1, 30, "scheduledAt")]
    [InlineData(24, 0, "durationMinutes")]
    [InlineData(24, 1441, "durationMinutes")]
    public void Scheduling_needs_a_future_start_and_a_sensible_duration(int startHours, int minutes, string field)
    {
        var d = SessionLifecycle.Schedule(Suggested(), Coach, Later.AddHours(startHours), minutes, SessionChanges.None, Later, People);

        Assert.Equal(RefusalKind.InvalidRequest, d.Refusal?.Kind);
        Assert.Equal(field, d.Refusal!.Reasons[0].Field);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 1440)]
    public void Scheduling_boundaries_pass(int startHours, int minutes)
    {
        var d = SessionLifecycle.Schedule(Suggested(), Coach, Later.AddHours(startHours), minutes, SessionChanges.None, Later, People);

        Assert.True(d.IsAccepted, d.Refusal?.Message);
        Assert.Equal(minutes, d.State.DurationMinutes);
    }

    [Fact]
    public void Coach_may_change_fields_when_scheduling_and_they_are_validated_again()
    {
        var ok = SessionLifecycle.Schedule(Suggested(), Coach, Later.AddDays(1), 30,
            new SessionChanges(Title: "Renamed", Trainees: [U(Trainee2)], CoachingArea: "escalations", ReferenceCases: ["CASE-1"]), Later, People);
        var bad = SessionLifecycle.Schedule(Suggested(), Coach, Later.AddDays(1), 30,
            new SessionChanges(Trainees: [U(Supervisor)]), Later, People);
        var coachChange = SessionLifecycle.Schedule(Suggested(), Coach, Later.AddDays(1), 30,
            new SessionChanges(Coach: U(Coach2)), Later, People);

        Assert.Equal("Renamed", ok.State.Title);
        Assert.Equal([Trainee2], ok.State.TraineeUsers.ToArray());
        Assert.Equal("escalations", ok.State.CoachingArea);
        Assert.Equal(["CASE-1"], ok.State.ReferenceCases.ToArray());
        Assert.Equal([Supervisor, Trainee2], ok.Notifications[0].Recipients.ToArray());
        Assert.Equal("coach-selected-supervisor", bad.Refusal?.Code);
        Assert.Equal(RefusalKind.InvalidRequest, coachChange.Refusal?.Kind);
    }

    [Fact]
    public void Supervisor_edit_is_validated_and_re_expands_groups()
    {
        var s = Suggested();

        var ok = SessionLifecycle.Edit(s, Supervisor, new SessionChanges(Trainees: [G("team-with-sup")]), Later, People);
        var bad = SessionLifecycle.Edit(s, Supervisor, new SessionChanges(Coach: U(Supervisor)), Later, People);
        var pastExpiry = SessionLifecycle.Edit(s, Supervisor, new SessionChanges(ExpiresAt: Now), Later, People);

        Assert.Equal([Trainee1], ok.State.TraineeUsers.ToArray());
        Assert.Equal("edited", ok.State.History[^1].Action);
        Assert.Empty(ok.Notifications);
        Assert.Equal("supervisor-as-participant", bad.Refusal?.Code);
        Assert.Same(s, bad.State);
        Assert.Equal("expiry-in-past", pastExpiry.Refusal?.Code);
    }

    [Fact]
    public void Editing_the_coach_notifies_only_the_new_coach_users()
    {
        var d = SessionLifecycle.Edit(Suggested(), Supervisor, new SessionChanges(Coach: G("coaches")), Later, People);

        var n = Assert.Single(d.Notifications);
        Assert.Equal(NotificationType.SessionSuggested, n.Type);
        Assert.Equal([Coach2], n.Recipients.ToArray());
    }

    [Fact]
    public void A_deleted_supervisor_changes_nothing()
    {
        var s = Suggested();
        var withoutSupervisor = new DirectorySnapshot(
            [new DirectoryUser(Supervisor, "Sam Super", Deleted: true), new DirectoryUser(Coach, "Cora Coach"), new DirectoryUser(Trainee1, "Tia Trainee"), new DirectoryUser(Trainee2, "Tom Trainee")],
            [new DirectoryGroup("team", "Team", [Trainee1, Trainee2])],
            ["empathy"]);

        var expiry = SessionLifecycle.CheckExpiry(s, Later);
        var scheduled = SessionLifecycle.Schedule(s, Coach, Later.AddDays(1), 30, SessionChanges.None, Later, withoutSupervisor);

        Assert.False(expiry.Changed);
        Assert.Equal(SessionState.Scheduled, scheduled.State.State);
        Assert.Equal(Supervisor, scheduled.Notifications[0].Recipients[0]);
    }

    [Fact]
    public void Completing_needs_notes_and_keeps_them()
    {
        var scheduled = InState(SessionState.Scheduled);

        var missing = SessionLifecycle.Complete(scheduled, Coach, " ", Later);
        var done = SessionLifecycle.Complete(scheduled, Coach, "  went well ", Later);

        Assert.Equal(RefusalKind.InvalidRequest, missing.Refusal?.Kind);
        Assert.Equal("went well", done.State.Notes);
        Assert.Empty(done.Notifications);
    }

    [Fact]
    public void Declines_record_who_and_why()
    {
        var d = SessionLifecycle.Decline(Suggested(), Trainee2, " on leave ", Later, People);

        Assert.Equal(CanceledBy.Trainee, d.State.CanceledBy);
        Assert.Equal("on leave", d.State.CancelReason);
        Assert.Equal(Trainee2, d.State.CanceledByUser);
        Assert.Equal(new SessionHistoryEntry(Trainee2, Later, SessionState.Suggested, SessionState.Canceled, "declined"), d.State.History[^1]);
    }
}

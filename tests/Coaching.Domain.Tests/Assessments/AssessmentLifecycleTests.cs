using System.Collections.Immutable;
using Coaching.Assessments;

namespace Coaching.Domain.Tests.Assessments;

public class AssessmentLifecycleTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Created.AddHours(1);
    private static readonly TimeSpan Duration = TimeSpan.FromDays(5);
    private const string Coach = "coach";
    private const string Trainee = "trainee";
    private static readonly AssessmentActor CoachActor = new(Coach, IsCoach: true);
    private static readonly AssessmentActor TraineeActor = new(Trainee);
    private static readonly AssessmentActor Admin = new("admin", IsAdmin: true);
    private static readonly ImmutableArray<string> Members = [Coach, "coach2", Trainee];

    private static NewAssessment Creation(CompletionMode mode = CompletionMode.Coach, bool closeOnExpiry = true) =>
        new("COP0000001", 3, Trainee, "coach-group", new AssessmentSource("incident", "INC1", "evt-1"), Created, Duration, closeOnExpiry, mode,
            ImmutableDictionary<string, string?>.Empty, null, [new RecommendedLearning("Video", null), new RecommendedLearning("Quiz", null)], [],
            "trainee-assessment", "coach-effectiveness");

    private static AssessmentDecision Create(NewAssessment creation, string? coach = Coach) => AssessmentLifecycle.Create("a-1", creation, coach);

    private static Assessment Ok(AssessmentDecision d)
    {
        Assert.True(d.IsAccepted, d.Refusal?.Message);
        return d.State;
    }

    private static Assessment InState(AssessmentState state, bool closeOnExpiry = true)
    {
        var a = Ok(Create(Creation(closeOnExpiry: closeOnExpiry)));
        if (state == AssessmentState.New)
        {
            return a;
        }

        if (state == AssessmentState.Canceled)
        {
            return Ok(AssessmentLifecycle.Cancel(a, Admin, Later));
        }

        a = Ok(AssessmentLifecycle.Start(a, CoachActor, Later));
        if (state == AssessmentState.InProgress)
        {
            return a;
        }

        a = Ok(AssessmentLifecycle.Resolve(a, CoachActor, "Talked it through", AssessmentRating.Good, "Check next week", Later.AddHours(1)));
        return state == AssessmentState.Resolved ? a : Ok(AssessmentLifecycle.Complete(a, CoachActor, Later.AddHours(2)));
    }

    public enum Command { Claim, Reassign, Start, Resolve, Complete, ReopenByCoach, ReopenByTrainee, Cancel, CompleteTask }

    private static AssessmentDecision Run(Command c, Assessment a, DateTimeOffset at) => c switch
    {
        Command.Claim => AssessmentLifecycle.Claim(a, new AssessmentActor("coach2", IsCoach: true), Members, at),
        Command.Reassign => AssessmentLifecycle.Reassign(a, CoachActor, "coach2", Members, at),
        Command.Start => AssessmentLifecycle.Start(a, CoachActor, at),
        Command.Resolve => AssessmentLifecycle.Resolve(a, CoachActor, "summary", AssessmentRating.Average, "follow-up", at),
        Command.Complete => AssessmentLifecycle.Complete(a, CoachActor, at),
        Command.ReopenByCoach => AssessmentLifecycle.Reopen(a, CoachActor, at),
        Command.ReopenByTrainee => AssessmentLifecycle.Reopen(a, TraineeActor, at),
        Command.Cancel => AssessmentLifecycle.Cancel(a, Admin, at),
        _ => AssessmentLifecycle.CompleteLearningTask(a, TraineeActor, "LT1", at),
    };

    // from, command, expected state (null: invalid-state)
    public static TheoryData<AssessmentState, Command, AssessmentState?> Transitions()
    {
        var legal = new Dictionary<(AssessmentState, Command), AssessmentState>
        {
            [(AssessmentState.New, Command.Claim)] = AssessmentState.New,
            [(AssessmentState.New, Command.Reassign)] = AssessmentState.New,
            [(AssessmentState.New, Command.Start)] = AssessmentState.InProgress,
            [(AssessmentState.New, Command.Cancel)] = AssessmentState.Canceled,
            [(AssessmentState.InProgress, Command.Claim)] = AssessmentState.InProgress,
            [(AssessmentState.InProgress, Command.Reassign)] = AssessmentState.InProgress,
            [(AssessmentState.InProgress, Command.Resolve)] = AssessmentState.Resolved,
            [(AssessmentState.InProgress, Command.Cancel)] = AssessmentState.Canceled,
            [(AssessmentState.Resolved, Command.Claim)] = AssessmentState.Resolved,
            [(AssessmentState.Resolved, Command.Reassign)] = AssessmentState.Resolved,
            [(AssessmentState.Resolved, Command.Complete)] = AssessmentState.ClosedComplete,
            [(AssessmentState.Resolved, Command.ReopenByCoach)] = AssessmentState.InProgress,
            [(AssessmentState.Resolved, Command.ReopenByTrainee)] = AssessmentState.InProgress,
            [(AssessmentState.Resolved, Command.Cancel)] = AssessmentState.Canceled,
            [(AssessmentState.ClosedComplete, Command.ReopenByCoach)] = AssessmentState.InProgress,
            [(AssessmentState.ClosedComplete, Command.ReopenByTrainee)] = AssessmentState.InProgress,
        };
        var data = new TheoryData<AssessmentState, Command, AssessmentState?>();
        foreach (var from in Enum.GetValues<AssessmentState>())
        {
            foreach (var command in Enum.GetValues<Command>())
            {
                data.Add(from, command, legal.TryGetValue((from, command), out var to) ? to : null);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Every_command_in_every_state_of_coach_mode(AssessmentState from, Command command, AssessmentState? expected)
    {
        var a = InState(from);
        var at = Later.AddHours(3);

        var d = Run(command, a, at);

        if (expected is null)
        {
            Assert.Equal(RefusalKind.InvalidState, d.Refusal?.Kind);
            Assert.Equal("invalid-state", d.Refusal!.Code);
            Assert.Same(a, d.State);
            Assert.Empty(d.Events);
            return;
        }

        Assert.True(d.IsAccepted, d.Refusal?.Message);
        Assert.True(d.Changed);
        Assert.Equal(expected, d.State.State);
        var last = d.State.History[^1];
        Assert.Equal((from, expected.Value, at), (last.From!.Value, last.To, last.At));
    }

    [Theory]
    [InlineData(Command.Start, "trainee")]
    [InlineData(Command.Start, "coach2")]
    [InlineData(Command.Resolve, "trainee")]
    [InlineData(Command.Complete, "coach2")]
    [InlineData(Command.ReopenByCoach, "coach2")]
    [InlineData(Command.Cancel, "coach")]
    [InlineData(Command.Claim, "outsider")]
    [InlineData(Command.Reassign, "outsider")]
    [InlineData(Command.Reassign, "trainee")]
    [InlineData(Command.Claim, "coach2", false)]
    [InlineData(Command.Reassign, "coach", false)]
    [InlineData(Command.Start, "coach", false)]
    [InlineData(Command.Resolve, "coach", false)]
    [InlineData(Command.Complete, "coach", false)]
    [InlineData(Command.ReopenByCoach, "coach", false)]
    public void Only_the_right_actor_acts(Command command, string actor, bool hasCoachRole = true)
    {
        var a = InState(command switch
        {
            Command.Start or Command.Claim or Command.Reassign or Command.Cancel => AssessmentState.New,
            Command.Resolve => AssessmentState.InProgress,
            _ => AssessmentState.Resolved,
        });
        // Everyone here but the admin is a coach by role unless the row says otherwise: the refusal must come from
        // membership, assignment or the role, each on its own.
        var who = new AssessmentActor(actor, IsCoach: hasCoachRole);

        var d = command switch
        {
            Command.Start => AssessmentLifecycle.Start(a, who, Later),
            Command.Resolve => AssessmentLifecycle.Resolve(a, who, "s", AssessmentRating.Good, "f", Later),
            Command.Complete => AssessmentLifecycle.Complete(a, who, Later),
            Command.ReopenByCoach => AssessmentLifecycle.Reopen(a, who, Later),
            Command.Cancel => AssessmentLifecycle.Cancel(a, who, Later),
            Command.Claim => AssessmentLifecycle.Claim(a, who, Members, Later),
            _ => AssessmentLifecycle.Reassign(a, who, "coach2", Members, Later),
        };

        Assert.Equal(RefusalKind.NotAllowed, d.Refusal?.Kind);
    }

    [Fact]
    public void Creation_sets_due_date_history_and_notifies_the_assigned_coach()
    {
        var d = Create(Creation());

        Assert.Equal(AssessmentState.New, d.State.State);
        Assert.Equal(Created + Duration, d.State.DueAt);
        Assert.Equal(new AssessmentHistoryEntry("system", Created, null, AssessmentState.New, "created"), Assert.Single(d.State.History));
        Assert.Equal(new CoachAssigned(Coach, null), Assert.Single(d.Events));
    }

    [Fact]
    public void Creation_fills_the_defaults_of_a_creation_read_from_json()
    {
        // Lists missing from a stored or sent creation read as default arrays: they mean empty.
        var bare = Creation() with { VirtualCoachItems = default, RecommendedLearnings = default };

        var coached = Ok(Create(bare));
        var taught = Ok(Create(Creation(CompletionMode.Virtual)));

        Assert.Empty(coached.LearningTasks);
        Assert.Empty(coached.RecommendedLearnings);
        Assert.Empty(Ok(Create(Creation())).LearningTasks);
        Assert.Equal(["LT1", "LT2"], taught.LearningTasks.Select(t => t.Id));
        Assert.Null(taught.CoachId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Trainee)]
    public void Without_an_eligible_coach_it_waits_unassigned(string? coach)
    {
        var d = Create(Creation(), coach);

        Assert.Null(d.State.CoachId);
        Assert.Empty(d.Events);
        Assert.Equal(RefusalKind.NotAllowed, AssessmentLifecycle.Start(d.State, CoachActor, Later).Refusal?.Kind);
    }

    [Theory]
    [InlineData(AssessmentState.New, Coach, true)]
    [InlineData(AssessmentState.InProgress, Coach, true)]
    [InlineData(AssessmentState.Resolved, Coach, true)]
    [InlineData(AssessmentState.ClosedComplete, Coach, false)]
    [InlineData(AssessmentState.Canceled, Coach, false)]
    [InlineData(AssessmentState.New, "coach2", false)]
    public void A_coach_who_may_no_longer_act_releases_its_open_assessments_to_the_group(AssessmentState state, string leaving, bool released)
    {
        var a = InState(state);

        var d = AssessmentLifecycle.Release(a, leaving, Later);

        Assert.Equal(released, d.Changed);
        Assert.Equal(released ? null : a.CoachId, d.State.CoachId);
        Assert.Equal(state, d.State.State);
        Assert.Empty(d.Events);
        if (released)
        {
            Assert.Equal(new AssessmentHistoryEntry("system", Later, state, state, "released"), d.State.History[^1]);
            Assert.False(AssessmentLifecycle.Release(d.State, leaving, Later).Changed);
        }
    }

    [Fact]
    public void A_coach_never_coaches_themselves()
    {
        var a = InState(AssessmentState.New);

        // Even a trainee who is also a coach by role and a member of the group.
        var claim = AssessmentLifecycle.Claim(a, TraineeActor with { IsCoach = true }, Members, Later);
        var reassign = AssessmentLifecycle.Reassign(a, CoachActor, Trainee, Members, Later);

        Assert.Equal("coach-trainee-overlap", claim.Refusal?.Code);
        Assert.Equal("coach-trainee-overlap", reassign.Refusal?.Code);
    }

    [Fact]
    public void Claim_and_reassign_change_the_coach_and_notify_the_new_one()
    {
        var a = InState(AssessmentState.New);

        var claimed = AssessmentLifecycle.Claim(a, new AssessmentActor("coach2", IsCoach: true), Members, Later);
        var back = AssessmentLifecycle.Reassign(claimed.State, Admin, Coach, Members, Later);
        var again = AssessmentLifecycle.Claim(back.State, CoachActor, Members, Later);
        var notMember = AssessmentLifecycle.Reassign(a, CoachActor, "stranger", Members, Later);

        Assert.Equal("coach2", claimed.State.CoachId);
        Assert.Equal(new CoachAssigned("coach2", Coach), Assert.Single(claimed.Events));
        Assert.Equal("claimed", claimed.State.History[^1].Action);
        Assert.Equal(Coach, back.State.CoachId);
        Assert.Equal("admin", back.State.History[^1].Actor);
        Assert.False(again.Changed);
        Assert.True(again.IsAccepted);
        Assert.Equal(RefusalKind.InvalidRequest, notMember.Refusal?.Kind);
    }

    [Fact]
    public void Resolving_sends_surveys_once_and_notifies_the_trainee()
    {
        var inProgress = InState(AssessmentState.InProgress);
        var at = Later.AddHours(5);

        var first = AssessmentLifecycle.Resolve(inProgress, CoachActor, " Summary ", AssessmentRating.Excellent, " Follow ", at);
        var reopened = Ok(AssessmentLifecycle.Reopen(first.State, TraineeActor, at.AddDays(1)));
        var second = AssessmentLifecycle.Resolve(reopened, CoachActor, "Summary 2", AssessmentRating.Poor, "Follow 2", at.AddDays(2));

        Assert.Equal(
            [
                new AssessmentResolved(Trainee),
                new SurveysDue([new SurveyOrder("trainee-assessment", Coach, SurveyAudience.FilledByCoach), new SurveyOrder("coach-effectiveness", Trainee, SurveyAudience.FilledByTrainee)]),
            ],
            first.Events.ToArray(),
            new EventComparer());
        Assert.Equal(("Summary", AssessmentRating.Excellent, "Follow"), (first.State.Summary, first.State.Rating, first.State.FollowUp));
        Assert.Equal([new AssessmentResolved(Trainee)], second.Events.ToArray());
        Assert.Equal(at, second.State.FirstResolvedAt);
        Assert.Equal(at - Created, AssessmentLifecycle.TimeToResolve(second.State));
        Assert.Null(AssessmentLifecycle.TimeToResolve(inProgress));
    }

    [Theory]
    [InlineData(null, AssessmentRating.Good, "f", "summary")]
    [InlineData("s", null, "f", "rating")]
    [InlineData("s", AssessmentRating.Good, " ", "followUp")]
    [InlineData("s", (AssessmentRating)42, "f", "rating")]
    public void Resolving_needs_summary_rating_and_follow_up(string? summary, AssessmentRating? rating, string? followUp, string field)
    {
        var d = AssessmentLifecycle.Resolve(InState(AssessmentState.InProgress), CoachActor, summary, rating, followUp, Later);

        Assert.Equal(RefusalKind.InvalidRequest, d.Refusal?.Kind);
        Assert.Equal("invalid-request", d.Refusal!.Code);
        Assert.Equal(field, Assert.Single(d.Refusal.Reasons).Field);
    }

    [Theory]
    [InlineData(AssessmentState.Resolved)]
    [InlineData(AssessmentState.ClosedComplete)]
    public void Reopen_restarts_the_due_date(AssessmentState from)
    {
        var a = InState(from);
        var at = Created.AddDays(10);

        var d = AssessmentLifecycle.Reopen(a, TraineeActor, at);

        Assert.Equal(at + Duration, d.State.DueAt);
        Assert.Null(d.State.CloseReason);
        Assert.False(d.State.Overdue);
        Assert.Equal(at + Duration, AssessmentLifecycle.PendingExpiryAt(d.State));
    }

    [Fact]
    public void Completing_closes_with_reason_completed()
    {
        var a = InState(AssessmentState.ClosedComplete);

        Assert.Equal(CloseReason.Completed, a.CloseReason);
        Assert.Null(AssessmentLifecycle.PendingExpiryAt(a));
    }

    // state, close-on-expiry, expected state after the check at due, expected close reason, overdue, event type
    public static TheoryData<AssessmentState, bool, AssessmentState, CloseReason?, bool, string?> Expiry => new()
    {
        { AssessmentState.New, true, AssessmentState.ClosedComplete, CloseReason.Expired, false, nameof(AssessmentExpired) },
        { AssessmentState.InProgress, true, AssessmentState.ClosedComplete, CloseReason.Expired, false, nameof(AssessmentExpired) },
        { AssessmentState.New, false, AssessmentState.New, null, true, nameof(AssessmentOverdue) },
        { AssessmentState.InProgress, false, AssessmentState.InProgress, null, true, nameof(AssessmentOverdue) },
        { AssessmentState.Resolved, true, AssessmentState.Resolved, null, false, null },
        { AssessmentState.ClosedComplete, true, AssessmentState.ClosedComplete, CloseReason.Completed, false, null },
        { AssessmentState.Canceled, true, AssessmentState.Canceled, CloseReason.Canceled, false, null },
    };

    [Theory]
    [MemberData(nameof(Expiry))]
    public void Expiry_check_is_idempotent(AssessmentState state, bool closeOnExpiry, AssessmentState expected, CloseReason? reason, bool overdue, string? eventType)
    {
        var a = InState(state, closeOnExpiry);

        var early = AssessmentLifecycle.CheckExpiry(a, a.DueAt.AddTicks(-1));
        var first = AssessmentLifecycle.CheckExpiry(a, a.DueAt);
        var second = AssessmentLifecycle.CheckExpiry(first.State, a.DueAt.AddDays(30));

        Assert.False(early.Changed);
        Assert.Same(a, early.State);
        Assert.Equal((expected, reason, overdue), (first.State.State, first.State.CloseReason, first.State.Overdue));
        Assert.Equal(eventType, first.Events.SingleOrDefault()?.GetType().Name);
        Assert.Equal(eventType is not null, first.Changed);
        Assert.False(second.Changed);
        Assert.Empty(second.Events);
        Assert.Same(first.State, second.State);
        Assert.Null(AssessmentLifecycle.PendingExpiryAt(second.State));
    }

    [Fact]
    public void Notes_form_a_journal_of_coach_and_trainee()
    {
        var a = InState(AssessmentState.InProgress);

        var one = Ok(AssessmentLifecycle.AddNote(a, CoachActor, "First", Later));
        var two = Ok(AssessmentLifecycle.AddNote(one, TraineeActor, "Second", Later.AddMinutes(1)));
        var stranger = AssessmentLifecycle.AddNote(two, new AssessmentActor("coach2", IsCoach: true), "x", Later);
        var empty = AssessmentLifecycle.AddNote(two, CoachActor, "  ", Later);
        var canceled = AssessmentLifecycle.AddNote(InState(AssessmentState.Canceled), TraineeActor, "x", Later);

        Assert.Equal([new AssessmentNote(Coach, Later, "First"), new AssessmentNote(Trainee, Later.AddMinutes(1), "Second")], two.Notes.ToArray());
        Assert.Equal(a.History.Count, two.History.Count);
        Assert.Equal(RefusalKind.NotAllowed, stranger.Refusal?.Kind);
        Assert.Equal(RefusalKind.InvalidRequest, empty.Refusal?.Kind);
        Assert.Equal(RefusalKind.InvalidState, canceled.Refusal?.Kind);
    }

    // notes already there (count x length), length of the new note, the code it is refused with (null: accepted)
    public static TheoryData<int, int, int, string?> NoteBounds() => new()
    {
        { 0, 0, AssessmentLifecycle.MaxTextLength, null },
        { AssessmentLifecycle.MaxNotes - 1, 1, 1, null },
        { AssessmentLifecycle.MaxNotes, 1, 1, Refusal.Codes.NotesLimit },
        { AssessmentLifecycle.MaxNotes + 50, 1, 1, Refusal.Codes.NotesLimit },
        { 13, 10_000, AssessmentLifecycle.MaxNotesTextLength - 130_000, null },
        { 13, 10_000, AssessmentLifecycle.MaxNotesTextLength - 130_000 + 1, Refusal.Codes.NotesLimit },
        { 26, 5_000, AssessmentLifecycle.MaxTextLength, Refusal.Codes.NotesLimit },
        // A malformed note is a 400 whatever the bounds say; a full journal does not hide it.
        { AssessmentLifecycle.MaxNotes, 1, AssessmentLifecycle.MaxTextLength + 1, Refusal.Codes.InvalidRequest },
    };

    [Theory]
    [MemberData(nameof(NoteBounds))]
    public void Notes_stop_at_a_count_and_a_total_length(int notes, int length, int newLength, string? refusedWith)
    {
        var a = InState(AssessmentState.InProgress) with
        {
            Notes = [.. Enumerable.Range(0, notes).Select(i => new AssessmentNote(i % 2 == 0 ? Coach : Trainee, Later, new string('n', length)))],
        };

        var d = AssessmentLifecycle.AddNote(a, TraineeActor, new string('x', newLength), Later);

        Assert.Equal(refusedWith, d.Refusal?.Code);
        Assert.Equal(refusedWith is null ? notes + 1 : notes, d.State.Notes.Count);
        if (refusedWith == Refusal.Codes.NotesLimit)
        {
            Assert.Equal(RefusalKind.RuleViolation, d.Refusal!.Kind);
            Assert.Equal("text", d.Refusal.Reasons[0].Field);
        }
    }

    [Fact]
    public void The_total_counts_a_note_as_it_is_kept_trimmed()
    {
        var a = InState(AssessmentState.InProgress) with
        {
            Notes = [new AssessmentNote(Coach, Later, new string('n', AssessmentLifecycle.MaxNotesTextLength - 1))],
        };

        var kept = Ok(AssessmentLifecycle.AddNote(a, TraineeActor, "   x   ", Later));

        Assert.Equal(AssessmentLifecycle.MaxNotesTextLength, kept.Notes.Sum(n => n.Text.Length));
    }

    // state, command, whether it is refused once the history is full (the steps that can repeat are; the closing ones are not)
    public static TheoryData<AssessmentState, Command, bool> FullHistory() => new()
    {
        { AssessmentState.New, Command.Claim, true },
        { AssessmentState.InProgress, Command.Reassign, true },
        { AssessmentState.Resolved, Command.ReopenByCoach, true },
        { AssessmentState.ClosedComplete, Command.ReopenByTrainee, true },
        { AssessmentState.New, Command.Start, false },
        { AssessmentState.InProgress, Command.Resolve, false },
        { AssessmentState.Resolved, Command.Complete, false },
        { AssessmentState.Resolved, Command.Cancel, false },
    };

    [Theory]
    [MemberData(nameof(FullHistory))]
    public void A_full_history_refuses_only_the_steps_that_can_repeat_without_end(AssessmentState state, Command command, bool refused)
    {
        var a = InState(state);
        var filler = new AssessmentHistoryEntry(Coach, Later, state, state, "claimed");
        a = a with { History = a.History.AddRange(Enumerable.Repeat(filler, AssessmentLifecycle.MaxHistoryEntries - a.History.Count)) };

        var d = Run(command, a, Later.AddHours(3));

        Assert.Equal(refused ? Refusal.Codes.HistoryLimit : null, d.Refusal?.Code);
        Assert.Equal(refused ? AssessmentLifecycle.MaxHistoryEntries : AssessmentLifecycle.MaxHistoryEntries + 1, d.State.History.Count);
    }

    [Fact]
    public void Resolving_and_reopening_for_ever_ends_at_the_history_bound_and_the_assessment_can_still_be_finished()
    {
        var a = InState(AssessmentState.Resolved);
        var at = Later.AddHours(3);
        AssessmentDecision reopen;
        while ((reopen = AssessmentLifecycle.Reopen(a, TraineeActor, at)).IsAccepted)
        {
            a = Ok(AssessmentLifecycle.Resolve(reopen.State, CoachActor, "again", AssessmentRating.Good, "again", at));
        }

        var completed = Ok(AssessmentLifecycle.Complete(a, CoachActor, at));

        Assert.Equal(Refusal.Codes.HistoryLimit, reopen.Refusal?.Code);
        Assert.InRange(a.History.Count, AssessmentLifecycle.MaxHistoryEntries, AssessmentLifecycle.MaxHistoryEntries + 1);
        Assert.Equal(AssessmentState.ClosedComplete, completed.State);
    }

    [Fact]
    public void Virtual_completion_closes_when_the_last_task_is_done()
    {
        var a = Ok(Create(Creation(CompletionMode.Virtual)));

        var one = AssessmentLifecycle.CompleteLearningTask(a, TraineeActor, "LT1", Later);
        var repeat = AssessmentLifecycle.CompleteLearningTask(one.State, TraineeActor, "LT1", Later.AddHours(1));
        var two = AssessmentLifecycle.CompleteLearningTask(one.State, TraineeActor, "LT2", Later.AddHours(2));

        Assert.Null(a.CoachId);
        Assert.Empty(Create(Creation(CompletionMode.Virtual)).Events);
        Assert.Equal(AssessmentState.InProgress, one.State.State);
        Assert.False(repeat.Changed);
        Assert.Equal(AssessmentState.ClosedComplete, two.State.State);
        Assert.Equal(CloseReason.LearningCompleted, two.State.CloseReason);
        Assert.Equal(["created", "learning-started", "learning-completed"], two.State.History.Select(h => h.Action).ToArray());
    }

    // command, actor, expected refusal kind
    public static TheoryData<string, string, RefusalKind> VirtualRefusals => new()
    {
        { "task", Coach, RefusalKind.NotAllowed },
        { "unknown-task", Trainee, RefusalKind.InvalidRequest },
        { "start", Coach, RefusalKind.InvalidState },
        { "claim", Coach, RefusalKind.InvalidState },
        { "resolve", Coach, RefusalKind.InvalidState },
        { "reopen-all-done", Trainee, RefusalKind.InvalidState },
        { "task-after-expiry", Trainee, RefusalKind.InvalidState },
    };

    [Theory]
    [MemberData(nameof(VirtualRefusals))]
    public void Virtual_mode_refusals(string command, string actor, RefusalKind kind)
    {
        var a = Ok(Create(Creation(CompletionMode.Virtual)));
        var who = new AssessmentActor(actor, IsCoach: actor == Coach);
        var done = Ok(AssessmentLifecycle.CompleteLearningTask(Ok(AssessmentLifecycle.CompleteLearningTask(a, TraineeActor, "LT1", Later)), TraineeActor, "LT2", Later));
        var expired = Ok(AssessmentLifecycle.CheckExpiry(a, a.DueAt));

        var d = command switch
        {
            "task" => AssessmentLifecycle.CompleteLearningTask(a, who, "LT1", Later),
            "unknown-task" => AssessmentLifecycle.CompleteLearningTask(a, who, "nope", Later),
            "start" => AssessmentLifecycle.Start(a, who, Later),
            "claim" => AssessmentLifecycle.Claim(a, who, Members, Later),
            "resolve" => AssessmentLifecycle.Resolve(a, who, "s", AssessmentRating.Good, "f", Later),
            "reopen-all-done" => AssessmentLifecycle.Reopen(done, who, Later),
            _ => AssessmentLifecycle.CompleteLearningTask(expired, who, "LT1", Later),
        };

        Assert.Equal(kind, d.Refusal?.Kind);
    }

    [Fact]
    public void An_expired_virtual_assessment_can_be_reopened_by_the_trainee_and_finished()
    {
        var a = Ok(Create(Creation(CompletionMode.Virtual)));
        var expired = Ok(AssessmentLifecycle.CheckExpiry(a, a.DueAt));

        var reopened = Ok(AssessmentLifecycle.Reopen(expired, TraineeActor, a.DueAt.AddHours(1)));
        var t1 = Ok(AssessmentLifecycle.CompleteLearningTask(reopened, TraineeActor, "LT1", a.DueAt.AddHours(2)));
        var t2 = Ok(AssessmentLifecycle.CompleteLearningTask(t1, TraineeActor, "LT2", a.DueAt.AddHours(3)));

        Assert.Equal(CloseReason.Expired, expired.CloseReason);
        Assert.Equal(AssessmentState.InProgress, reopened.State);
        Assert.Equal(CloseReason.LearningCompleted, t2.CloseReason);
    }

    private sealed class EventComparer : IEqualityComparer<AssessmentEvent>
    {
        public bool Equals(AssessmentEvent? x, AssessmentEvent? y) => (x, y) switch
        {
            (SurveysDue a, SurveysDue b) => a.Orders.SequenceEqual(b.Orders),
            _ => Equals((object?)x, y),
        };

        public int GetHashCode(AssessmentEvent obj) => obj.GetType().GetHashCode();
    }
}

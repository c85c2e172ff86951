using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>
/// The assessment state machine (SPEC part A, "Assessment lifecycle"), as pure functions of
/// (state, command, now). Grains call these and persist <see cref="AssessmentDecision.State"/>.
/// <code>
/// New --start(coach)--> InProgress --resolve(coach)--> Resolved --complete(coach)--> ClosedComplete
/// Resolved | ClosedComplete --reopen(coach | trainee)--> InProgress   (due = now + duration)
/// New | InProgress | Resolved --cancel(admin)--> Canceled
/// New | InProgress --past due, close-on-expiry--> ClosedComplete (expired); otherwise overdue = true
/// virtual: New --first task--> InProgress --last task--> ClosedComplete (learning-completed)
/// </code>
/// Decisions where SPEC is silent:
/// <list type="bullet">
/// <item>Only the assigned coach starts, resolves and completes; an unassigned one must be claimed first.</item>
/// <item>Claim and reassign are allowed while New, InProgress or Resolved (a resolved one still needs a
/// coach to complete it) by a member of the coach group (reassign also by an admin). The new coach must
/// be a member passed in by the caller (active members) and never the trainee.</item>
/// <item>Notes: by the assigned coach or the trainee, in every state but Canceled; not a transition, so
/// not in the history. At most <see cref="MaxNotes"/> of them and <see cref="MaxNotesTextLength"/> characters in all.</item>
/// <item>A coach and a trainee could claim, reassign or reopen back and forth for ever: past
/// <see cref="MaxHistoryEntries"/> recorded steps those are refused, the steps towards the close are not.</item>
/// <item>Surveys are requested once per assessment, on its first entry into Resolved; resolving again
/// after a reopen does not send them again.</item>
/// <item>Time to resolve = first entry into Resolved - creation.</item>
/// <item>Virtual mode: reopen only by the trainee and only while a learning task is still open
/// (e.g. after expiry); otherwise nothing could ever close it again.</item>
/// </list>
/// </summary>
public static class AssessmentLifecycle
{
    /// <summary>Longest accepted note, summary or follow-up text.</summary>
    public const int MaxTextLength = TextRule.MaxTextLength;

    /// <summary>
    /// Most notes one assessment keeps (SPEC F: nothing a user adds grows without a bound). A journal of a coaching
    /// conversation, not a chat: past it a note is refused with 422 <c>notes-limit</c>.
    /// </summary>
    public const int MaxNotes = 200;

    /// <summary>
    /// Most characters of note text one assessment keeps in all (128 Ki, about thirteen notes of the longest kind).
    /// Stored and served as JSON, a character takes at most six bytes (an escaped <c>\uXXXX</c>), so even then an
    /// assessment at this bound stays under 1 MB in its row and in a <c>GET</c>. Past it: 422 <c>notes-limit</c>.
    /// </summary>
    public const int MaxNotesTextLength = 128 * 1024;

    /// <summary>
    /// History entries after which the steps that can repeat without end (claim, reassign, reopen) are refused with
    /// 422 <c>history-limit</c>. Those that move it towards its close (start, resolve, complete, cancel, expiry) still
    /// go, so an assessment can always be finished, and its history ends at most a few entries past this.
    /// </summary>
    public const int MaxHistoryEntries = 200;

    /// <summary>
    /// Creates a New assessment from the one creation shape, <see cref="NewAssessment"/>; a coach assigned at creation
    /// is notified. Every default of creation is here: missing lists and snapshot are empty, virtual coach items become
    /// the learning tasks <c>LT1</c>, <c>LT2</c>... (virtual mode only), and the due date is creation + duration.
    /// </summary>
    /// <param name="id">The assessment's id (<see cref="AssessmentIds.For"/>).</param>
    /// <param name="coachId">The coach chosen by assignment (null: unassigned in the queue); ignored in virtual mode.</param>
    public static AssessmentDecision Create(string id, NewAssessment creation, string? coachId)
    {
        ArgumentNullException.ThrowIfNull(creation);
        var isVirtual = creation.Completion == CompletionMode.Virtual;
        // A coach never coaches themselves: assignment should never pick the trainee, but if it does
        // the assessment waits unassigned in the queue instead.
        var coach = isVirtual || coachId == creation.TraineeId ? null : coachId;
        // Stored and sent as JSON too: a list or snapshot missing there reads as default, which means empty.
        var items = creation.VirtualCoachItems.IsDefault ? [] : creation.VirtualCoachItems;
        var state = new Assessment
        {
            Id = id,
            OpportunityId = creation.OpportunityId,
            OpportunityVersion = creation.OpportunityVersion,
            TraineeId = creation.TraineeId,
            CoachId = coach,
            CoachGroupId = creation.CoachGroupId,
            State = AssessmentState.New,
            Source = creation.Source,
            Snapshot = creation.Snapshot ?? ImmutableDictionary<string, string?>.Empty,
            ScriptError = creation.ScriptError,
            CreatedAt = creation.CreatedAt,
            Duration = creation.Duration,
            DueAt = creation.CreatedAt + creation.Duration,
            CloseOnExpiry = creation.CloseOnExpiry,
            Completion = creation.Completion,
            LearningTasks = isVirtual ? [.. items.Select((item, i) => new LearningTask($"LT{i + 1}", item.Title, item.Url))] : [],
            RecommendedLearnings = creation.RecommendedLearnings.IsDefault ? [] : [.. creation.RecommendedLearnings],
            TraineeSurveyId = creation.TraineeSurveyId,
            CoachSurveyId = creation.CoachSurveyId,
            History = [new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, creation.CreatedAt, null, AssessmentState.New, "created")],
        };
        return coach is null
            ? AssessmentDecision.Accept(state)
            : AssessmentDecision.Accept(state, new CoachAssigned(coach, null));
    }

    /// <summary>A member of the coach group takes the assessment for themselves.</summary>
    /// <param name="coachGroupMembers">Active members of the assessment's coach group, looked up by the caller.</param>
    public static AssessmentDecision Claim(Assessment a, AssessmentActor actor, IReadOnlyCollection<string> coachGroupMembers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(coachGroupMembers);
        if (!actor.IsCoach || !coachGroupMembers.Contains(actor.UserId))
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed("Only a coach of the coach group can claim this assessment."));
        }

        return AssignTo(a, actor, actor.UserId, "claimed", now);
    }

    /// <summary>A member of the coach group (or an admin) hands the assessment to another member.</summary>
    public static AssessmentDecision Reassign(Assessment a, AssessmentActor actor, string newCoachId, IReadOnlyCollection<string> coachGroupMembers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(coachGroupMembers);
        if (!actor.IsAdmin && (!actor.IsCoach || !coachGroupMembers.Contains(actor.UserId) || actor.UserId == a.TraineeId))
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed("Only a coach of the coach group or an admin can reassign this assessment; its trainee never chooses the coach."));
        }

        if (string.IsNullOrWhiteSpace(newCoachId) || !coachGroupMembers.Contains(newCoachId))
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidRequest("coach", "The new coach must be an active member of the coach group."));
        }

        return AssignTo(a, actor, newCoachId, "reassigned", now);
    }

    private static AssessmentDecision AssignTo(Assessment a, AssessmentActor actor, string coachId, string action, DateTimeOffset now)
    {
        if (a.Completion == CompletionMode.Virtual)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState("A virtual assessment has no coach."));
        }

        if (a.State is not (AssessmentState.New or AssessmentState.InProgress or AssessmentState.Resolved))
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"A {a.State} assessment cannot be assigned."));
        }

        if (coachId == a.TraineeId)
        {
            return AssessmentDecision.Refuse(a, Refusal.RuleViolation(
                [new RefusalReason(Refusal.Codes.CoachTraineeOverlap, "A coach never coaches themselves.", "coach")]));
        }

        if (coachId == a.CoachId)
        {
            return AssessmentDecision.Unchanged(a);
        }

        if (HistoryFull(a) is { } full)
        {
            return full;
        }

        var next = a with
        {
            CoachId = coachId,
            History = a.History.Add(new AssessmentHistoryEntry(actor.UserId, now, a.State, a.State, action)),
        };
        return AssessmentDecision.Accept(next, new CoachAssigned(coachId, a.CoachId));
    }

    /// <summary>
    /// A coach the directory no longer lets act (deleted or inactive) leaves the assessments it holds open: each goes
    /// back to the coach group's queue, unassigned, for another coach to claim. Anything else is left as it is.
    /// </summary>
    public static AssessmentDecision Release(Assessment a, string coachId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.CoachId != coachId || a.State is not (AssessmentState.New or AssessmentState.InProgress or AssessmentState.Resolved))
        {
            return AssessmentDecision.Unchanged(a);
        }

        return AssessmentDecision.Accept(a with
        {
            CoachId = null,
            History = a.History.Add(new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, now, a.State, a.State, "released")),
        });
    }

    /// <summary>The assigned coach starts working: New -> InProgress.</summary>
    public static AssessmentDecision Start(Assessment a, AssessmentActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        if (RequireCoachMode(a) is { } notCoachMode)
        {
            return notCoachMode;
        }

        if (RequireAssignedCoach(a, actor, "start") is { } notCoach)
        {
            return notCoach;
        }

        if (a.State != AssessmentState.New)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"Only a New assessment can be started; this one is {a.State}."));
        }

        return AssessmentDecision.Accept(Move(a, actor.UserId, now, AssessmentState.InProgress, "started"));
    }

    /// <summary>Adds a work note to the journal (assigned coach or trainee).</summary>
    public static AssessmentDecision AddNote(Assessment a, AssessmentActor actor, string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.UserId != a.TraineeId && (a.CoachId is null || actor.UserId != a.CoachId))
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed("Only the assigned coach and the trainee write notes."));
        }

        if (a.State == AssessmentState.Canceled)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState("A canceled assessment takes no notes."));
        }

        if (TextProblem("text", text) is { } problem)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidRequest([problem]));
        }

        var note = new AssessmentNote(actor.UserId, now, text.Trim());
        if (a.Notes.Count >= MaxNotes)
        {
            return NotesFull(a, $"This assessment already holds {MaxNotes} notes, as many as it keeps.");
        }

        if (a.Notes.Sum(n => n.Text.Length) + note.Text.Length > MaxNotesTextLength)
        {
            return NotesFull(a, $"This note would take the assessment's notes past {MaxNotesTextLength} characters in all.");
        }

        return AssessmentDecision.Accept(a with { Notes = a.Notes.Add(note) });
    }

    /// <summary>
    /// The assigned coach resolves: InProgress -> Resolved with summary, rating and follow-up (all
    /// required). The trainee is notified; on the first resolution the surveys are sent.
    /// </summary>
    public static AssessmentDecision Resolve(Assessment a, AssessmentActor actor, string? summary, AssessmentRating? rating, string? followUp, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        if (RequireCoachMode(a) is { } notCoachMode)
        {
            return notCoachMode;
        }

        if (RequireAssignedCoach(a, actor, "resolve") is { } notCoach)
        {
            return notCoach;
        }

        if (a.State != AssessmentState.InProgress)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"Only an InProgress assessment can be resolved; this one is {a.State}."));
        }

        var problems = ImmutableArray.CreateBuilder<RefusalReason>();
        if (TextProblem("summary", summary) is { } s)
        {
            problems.Add(s);
        }

        if (rating is null || !Enum.IsDefined(rating.Value))
        {
            problems.Add(new RefusalReason(FieldCodes.Required, "A rating (Excellent, Good, Average, Poor, Unacceptable) is required.", "rating"));
        }

        if (TextProblem("followUp", followUp) is { } f)
        {
            problems.Add(f);
        }

        if (problems.Count > 0)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidRequest(problems.ToImmutable()));
        }

        var next = Move(a, actor.UserId, now, AssessmentState.Resolved, "resolved") with
        {
            Summary = summary!.Trim(),
            Rating = rating,
            FollowUp = followUp!.Trim(),
            FirstResolvedAt = a.FirstResolvedAt ?? now,
        };
        var events = ImmutableArray.CreateBuilder<AssessmentEvent>();
        events.Add(new AssessmentResolved(a.TraineeId));
        if (!a.SurveysRequested)
        {
            var orders = ImmutableArray.CreateBuilder<SurveyOrder>();
            if (a.TraineeSurveyId is { } traineeSurvey)
            {
                orders.Add(new SurveyOrder(traineeSurvey, actor.UserId, SurveyAudience.FilledByCoach));
            }

            if (a.CoachSurveyId is { } coachSurvey)
            {
                orders.Add(new SurveyOrder(coachSurvey, a.TraineeId, SurveyAudience.FilledByTrainee));
            }

            next = next with { SurveysRequested = true };
            if (orders.Count > 0)
            {
                events.Add(new SurveysDue(orders.ToImmutable()));
            }
        }

        return AssessmentDecision.Accept(next, events.ToImmutable());
    }

    /// <summary>The assigned coach completes a resolved assessment: Resolved -> ClosedComplete.</summary>
    public static AssessmentDecision Complete(Assessment a, AssessmentActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        if (RequireCoachMode(a) is { } notCoachMode)
        {
            return notCoachMode;
        }

        if (RequireAssignedCoach(a, actor, "complete") is { } notCoach)
        {
            return notCoach;
        }

        if (a.State != AssessmentState.Resolved)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"Only a Resolved assessment can be completed; this one is {a.State}."));
        }

        return AssessmentDecision.Accept(Move(a, actor.UserId, now, AssessmentState.ClosedComplete, "completed") with
        {
            CloseReason = Coaching.Assessments.CloseReason.Completed,
        });
    }

    /// <summary>
    /// The coach or the trainee reopens: Resolved | ClosedComplete -> InProgress. The due date
    /// restarts at now + duration and the overdue mark and close reason are cleared.
    /// </summary>
    public static AssessmentDecision Reopen(Assessment a, AssessmentActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        var isTrainee = actor.UserId == a.TraineeId;
        var isCoach = a.CoachId is not null && actor.UserId == a.CoachId && actor.IsCoach;
        if (!isTrainee && !isCoach)
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed("Only the coach or the trainee can reopen this assessment."));
        }

        if (a.State is not (AssessmentState.Resolved or AssessmentState.ClosedComplete))
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"Only a Resolved or ClosedComplete assessment can be reopened; this one is {a.State}."));
        }

        if (a.Completion == CompletionMode.Virtual && a.LearningTasks.TrueForAll(t => t.IsCompleted))
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState("Every learning task is complete; there is nothing to reopen."));
        }

        if (HistoryFull(a) is { } full)
        {
            return full;
        }

        return AssessmentDecision.Accept(Move(a, actor.UserId, now, AssessmentState.InProgress, "reopened") with
        {
            DueAt = now + a.Duration,
            Overdue = false,
            CloseReason = null,
        });
    }

    /// <summary>An administrator cancels an open assessment (New, InProgress or Resolved).</summary>
    public static AssessmentDecision Cancel(Assessment a, AssessmentActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed("Only an administrator can cancel an assessment."));
        }

        if (a.State is not (AssessmentState.New or AssessmentState.InProgress or AssessmentState.Resolved))
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"A {a.State} assessment cannot be canceled."));
        }

        return AssessmentDecision.Accept(Move(a, actor.UserId, now, AssessmentState.Canceled, "canceled") with
        {
            CloseReason = Coaching.Assessments.CloseReason.Canceled,
        });
    }

    /// <summary>
    /// "Is it past due?" Safe to call any number of times, from a reminder tick, on activation or
    /// before any command. Only New and InProgress expire; Resolved and closed ones never do.
    /// </summary>
    public static AssessmentDecision CheckExpiry(Assessment a, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.State is not (AssessmentState.New or AssessmentState.InProgress) || now < a.DueAt)
        {
            return AssessmentDecision.Unchanged(a);
        }

        if (a.CloseOnExpiry)
        {
            var closed = Move(a, AssessmentHistoryEntry.SystemActor, now, AssessmentState.ClosedComplete, "expired") with
            {
                CloseReason = Coaching.Assessments.CloseReason.Expired,
                Overdue = false,
            };
            return AssessmentDecision.Accept(closed, new AssessmentExpired(a.CoachId, a.TraineeId));
        }

        if (a.Overdue)
        {
            return AssessmentDecision.Unchanged(a);
        }

        var overdue = a with
        {
            Overdue = true,
            History = a.History.Add(new AssessmentHistoryEntry(AssessmentHistoryEntry.SystemActor, now, a.State, a.State, "overdue")),
        };
        return AssessmentDecision.Accept(overdue, new AssessmentOverdue(a.CoachId, a.TraineeId));
    }

    /// <summary>
    /// When the expiry reminder should next fire, or null when none is needed (resolved, closed,
    /// canceled, or already marked overdue). The grain registers/unregisters its reminder from this.
    /// </summary>
    public static DateTimeOffset? PendingExpiryAt(Assessment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.State is AssessmentState.New or AssessmentState.InProgress && !a.Overdue ? a.DueAt : null;
    }

    /// <summary>
    /// Virtual mode: the trainee completes one learning task. The first one moves New -> InProgress;
    /// the last one closes the assessment (ClosedComplete, learning-completed). Completing a task
    /// twice is an accepted no-op.
    /// </summary>
    public static AssessmentDecision CompleteLearningTask(Assessment a, AssessmentActor actor, string taskId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(actor);
        if (a.Completion != CompletionMode.Virtual)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState("Only a virtual assessment has learning tasks."));
        }

        if (actor.UserId != a.TraineeId)
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed("Only the trainee completes learning tasks."));
        }

        var index = a.LearningTasks.FindIndex(t => t.Id == taskId);
        if (index < 0)
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidRequest("taskId", $"No learning task '{taskId}' on this assessment."));
        }

        if (a.LearningTasks[index].IsCompleted)
        {
            return AssessmentDecision.Unchanged(a);
        }

        if (a.State is not (AssessmentState.New or AssessmentState.InProgress))
        {
            return AssessmentDecision.Refuse(a, Refusal.InvalidState($"A {a.State} assessment takes no more learning."));
        }

        var tasks = a.LearningTasks.SetItem(index, a.LearningTasks[index] with { CompletedAt = now });
        var next = a with { LearningTasks = tasks };
        if (tasks.TrueForAll(t => t.IsCompleted))
        {
            return AssessmentDecision.Accept(Move(next, actor.UserId, now, AssessmentState.ClosedComplete, "learning-completed") with
            {
                CloseReason = Coaching.Assessments.CloseReason.LearningCompleted,
                Overdue = false,
            });
        }

        return AssessmentDecision.Accept(next.State == AssessmentState.New
            ? Move(next, actor.UserId, now, AssessmentState.InProgress, "learning-started")
            : next);
    }

    /// <summary>Time from creation to the first resolution; null if never resolved (stats).</summary>
    public static TimeSpan? TimeToResolve(Assessment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.FirstResolvedAt - a.CreatedAt;
    }

    private static Assessment Move(Assessment a, string actor, DateTimeOffset now, AssessmentState to, string action) =>
        a with
        {
            State = to,
            History = a.History.Add(new AssessmentHistoryEntry(actor, now, a.State, to, action)),
        };

    private static AssessmentDecision? RequireCoachMode(Assessment a) =>
        a.Completion == CompletionMode.Virtual
            ? AssessmentDecision.Refuse(a, Refusal.InvalidState("A virtual assessment is completed through its learning tasks, not by a coach."))
            : null;

    private static AssessmentDecision? RequireAssignedCoach(Assessment a, AssessmentActor actor, string verb)
    {
        if (a.CoachId is null)
        {
            return AssessmentDecision.Refuse(a, Refusal.NotAllowed($"Nobody is assigned yet: claim the assessment before you {verb} it."));
        }

        return actor.UserId == a.CoachId && actor.IsCoach
            ? null
            : AssessmentDecision.Refuse(a, Refusal.NotAllowed($"Only the assigned coach, with the coach role, can {verb} this assessment."));
    }

    private static AssessmentDecision NotesFull(Assessment a, string message) =>
        AssessmentDecision.Refuse(a, Refusal.RuleViolation([new RefusalReason(Refusal.Codes.NotesLimit, message, "text")]));

    /// <summary>Refuses a step that can repeat without end once the history is full (<see cref="MaxHistoryEntries"/>).</summary>
    private static AssessmentDecision? HistoryFull(Assessment a) =>
        a.History.Count >= MaxHistoryEntries
            ? AssessmentDecision.Refuse(a, Refusal.RuleViolation([new RefusalReason(Refusal.Codes.HistoryLimit,
                $"This assessment has recorded {MaxHistoryEntries} steps; it can still be resolved, completed or canceled, but not reassigned or reopened again.")]))
            : null;

    private static RefusalReason? TextProblem(string field, string? text) => TextRule.Text.Check(text)?.For(field);
}

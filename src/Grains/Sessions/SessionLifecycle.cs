using System.Collections.Immutable;

namespace Coaching.Sessions;

/// <summary>
/// The suggested-session state machine (SPEC part B, "Lifecycle") as pure functions.
/// <code>
/// (none) --suggest(supervisor)--> Suggested --edit(its supervisor)--> Suggested
/// Suggested --schedule(coach: scheduledAt, durationMinutes, field changes)--> Scheduled --complete(coach, notes)--> Completed
/// Suggested --delete(its supervisor)--> Canceled(supervisor)
/// Suggested --decline(coach, reason)--> Canceled(coach)
/// Suggested --decline(trainee, reason)--> Canceled(trainee)
/// Suggested --expiry time passed--> Canceled(expired)
/// </code>
/// Anything else is <c>invalid-state</c>. Checks run in this order: who is acting (NotAllowed), the
/// state (InvalidState; a Suggested session already past its expiry counts as expired even before the
/// expiry check ran), the request's shape (InvalidRequest), then the business rules (RuleViolation).
/// "Coach" is any coach user: the coach user, or a member of the coach group as expanded when the
/// session was suggested or last edited. Decisions where SPEC is silent: scheduling needs a start
/// time not in the past and 1-1440 minutes; completing needs notes; when an edit changes the coach,
/// the new coach users get the "suggested" notification.
/// </summary>
public static class SessionLifecycle
{
    public const int MaxTitleLength = TextRule.MaxNameLength;
    public const int MaxTextLength = TextRule.MaxTextLength;
    public const int MaxDurationMinutes = 24 * 60;

    /// <summary>Expiry when the supervisor gives none.</summary>
    public static DateTimeOffset DefaultExpiry(DateTimeOffset now) => now.AddMonths(3);

    /// <summary>The supervisor suggests a session; the coach users are notified.</summary>
    public static SessionDecision Suggest(string id, string supervisorId, SessionDraft draft, DateTimeOffset now, DirectorySnapshot directory)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(directory);
        var empty = new SuggestedSession { Id = id, SuggestedBy = supervisorId };
        var expiresAt = draft.ExpiresAt ?? DefaultExpiry(now);
        var trainees = draft.Trainees.IsDefault ? [] : draft.Trainees;
        if (ShapeProblems(draft.Title, draft.Coach, trainees, draft.CoachingArea) is { } shape)
        {
            return SessionDecision.Refuse(empty, shape);
        }

        var failures = SuggestionValidator.Validate(supervisorId, draft.Coach, trainees, draft.CoachingArea, expiresAt, now, directory);
        if (!failures.IsEmpty)
        {
            return SessionDecision.Refuse(empty, Refusal.RuleViolation(failures));
        }

        var session = empty with
        {
            Title = draft.Title.Trim(),
            Coach = draft.Coach,
            Trainees = [.. trainees.Distinct()],
            TraineeUsers = SuggestionValidator.Expand(supervisorId, trainees, directory),
            CoachUsers = SuggestionValidator.ExpandCoach(supervisorId, draft.Coach, directory),
            CoachingArea = draft.CoachingArea,
            ReferenceCases = draft.ReferenceCases.IsDefault ? [] : [.. draft.ReferenceCases.Distinct(StringComparer.Ordinal)],
            State = SessionState.Suggested,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            History = [new SessionHistoryEntry(supervisorId, now, null, SessionState.Suggested, "suggested")],
        };
        return SessionDecision.Accept(session, SessionNotices.Suggested(session, directory.DisplayName(supervisorId)));
    }

    /// <summary>Its supervisor changes fields while Suggested; everything is validated again.</summary>
    public static SessionDecision Edit(SuggestedSession s, string actorId, SessionChanges changes, DateTimeOffset now, DirectorySnapshot directory)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(directory);
        if (actorId != s.SuggestedBy)
        {
            return SessionDecision.Refuse(s, Refusal.NotAllowed("Only the supervisor who suggested the session can edit it."));
        }

        if (RequireOpenSuggestion(s, now, "edited") is { } closed)
        {
            return closed;
        }

        var (next, refusal) = ApplyChanges(s, changes, now, directory, SuggestionAuthor.Supervisor);
        if (refusal is not null)
        {
            return SessionDecision.Refuse(s, refusal);
        }

        next = next with { History = s.History.Add(new SessionHistoryEntry(actorId, now, s.State, s.State, "edited")) };
        var newCoaches = next.CoachUsers.Except(s.CoachUsers, StringComparer.Ordinal).ToImmutableArray();
        return newCoaches.IsEmpty
            ? SessionDecision.Accept(next)
            : SessionDecision.Accept(next, SessionNotices.Suggested(next with { CoachUsers = newCoaches }, directory.DisplayName(s.SuggestedBy)));
    }

    /// <summary>Its supervisor deletes it while Suggested: Canceled by supervisor; the coach is notified.</summary>
    public static SessionDecision Delete(SuggestedSession s, string actorId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (actorId != s.SuggestedBy)
        {
            return SessionDecision.Refuse(s, Refusal.NotAllowed("Only the supervisor who suggested the session can delete it."));
        }

        if (RequireOpenSuggestion(s, now, "deleted") is { } closed)
        {
            return closed;
        }

        var next = Cancel(s, actorId, now, CanceledBy.Supervisor, null, "deleted");
        return SessionDecision.Accept(next, SessionNotices.CanceledBySupervisor(next));
    }

    /// <summary>
    /// A coach user schedules it: Suggested -> Scheduled. The coach may change title, trainees, area
    /// and reference cases (not the coach nor the expiry); changes are validated again, with
    /// <c>coach-selected-supervisor</c> for the supervisor. Supervisor and trainees are notified.
    /// </summary>
    public static SessionDecision Schedule(
        SuggestedSession s, string actorId, DateTimeOffset scheduledAt, int durationMinutes, SessionChanges changes, DateTimeOffset now, DirectorySnapshot directory)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(directory);
        if (!IsCoachUser(s, actorId))
        {
            return SessionDecision.Refuse(s, Refusal.NotAllowed("Only the session's coach can schedule it."));
        }

        if (RequireOpenSuggestion(s, now, "scheduled") is { } closed)
        {
            return closed;
        }

        if (changes.Coach is not null || changes.ExpiresAt is not null)
        {
            return SessionDecision.Refuse(s, Refusal.InvalidRequest(changes.Coach is not null ? "coach" : "expiresAt", "The coach cannot change the coach or the expiry."));
        }

        if (scheduledAt < now)
        {
            return SessionDecision.Refuse(s, Refusal.InvalidRequest("scheduledAt", "The start time cannot be in the past."));
        }

        if (durationMinutes is < 1 or > MaxDurationMinutes)
        {
            return SessionDecision.Refuse(s, Refusal.InvalidRequest("durationMinutes", $"The duration must be 1 to {MaxDurationMinutes} minutes."));
        }

        var (next, refusal) = ApplyChanges(s, changes, now, directory, SuggestionAuthor.Coach);
        if (refusal is not null)
        {
            return SessionDecision.Refuse(s, refusal);
        }

        next = next with
        {
            State = SessionState.Scheduled,
            ScheduledAt = scheduledAt,
            DurationMinutes = durationMinutes,
            ScheduledBy = actorId,
            History = s.History.Add(new SessionHistoryEntry(actorId, now, s.State, SessionState.Scheduled, "scheduled")),
        };
        return SessionDecision.Accept(next, SessionNotices.Scheduled(next, directory.DisplayName(actorId)));
    }

    /// <summary>
    /// A coach user or a trainee user declines it, with a reason: Canceled by coach (supervisor is
    /// notified) or by trainee (supervisor and coach are notified).
    /// </summary>
    public static SessionDecision Decline(SuggestedSession s, string actorId, string? reason, DateTimeOffset now, DirectorySnapshot directory)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(directory);
        var asCoach = IsCoachUser(s, actorId);
        if (!asCoach && !s.TraineeUsers.Contains(actorId))
        {
            return SessionDecision.Refuse(s, Refusal.NotAllowed("Only the session's coach or one of its trainees can decline it."));
        }

        if (RequireOpenSuggestion(s, now, "declined") is { } closed)
        {
            return closed;
        }

        if (TextProblem("reason", reason) is { } problem)
        {
            return SessionDecision.Refuse(s, problem);
        }

        var why = reason!.Trim();
        var name = directory.DisplayName(actorId);
        var next = Cancel(s, actorId, now, asCoach ? CanceledBy.Coach : CanceledBy.Trainee, why, "declined");
        return SessionDecision.Accept(next, asCoach
            ? SessionNotices.CanceledByCoach(next, name, why)
            : SessionNotices.CanceledByTrainee(next, name, why));
    }

    /// <summary>A coach user completes a scheduled session with notes: Scheduled -> Completed.</summary>
    public static SessionDecision Complete(SuggestedSession s, string actorId, string? notes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!IsCoachUser(s, actorId))
        {
            return SessionDecision.Refuse(s, Refusal.NotAllowed("Only the session's coach can complete it."));
        }

        if (s.State != SessionState.Scheduled)
        {
            return SessionDecision.Refuse(s, Refusal.InvalidState($"Only a Scheduled session can be completed; this one is {s.State}."));
        }

        if (TextProblem("notes", notes) is { } problem)
        {
            return SessionDecision.Refuse(s, problem);
        }

        return SessionDecision.Accept(s with
        {
            State = SessionState.Completed,
            Notes = notes!.Trim(),
            History = s.History.Add(new SessionHistoryEntry(actorId, now, s.State, SessionState.Completed, "completed")),
        });
    }

    /// <summary>
    /// "Is it past its expiry while still Suggested?" Cancels it (expired) and notifies supervisor and
    /// coach; otherwise an accepted no-op. Safe to call any number of times.
    /// </summary>
    public static SessionDecision CheckExpiry(SuggestedSession s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.State != SessionState.Suggested || now < s.ExpiresAt)
        {
            return SessionDecision.Unchanged(s);
        }

        var next = Cancel(s, SessionHistoryEntry.SystemActor, now, CanceledBy.Expired, null, "expired");
        return SessionDecision.Accept(next, SessionNotices.Expired(next));
    }

    /// <summary>When the expiry reminder should fire; null once the session left Suggested.</summary>
    public static DateTimeOffset? PendingExpiryAt(SuggestedSession s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.State == SessionState.Suggested ? s.ExpiresAt : null;
    }

    /// <summary>The user is one of the session's coach users.</summary>
    public static bool IsCoachUser(SuggestedSession s, string userId)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.CoachUsers.Contains(userId) || (s.Coach.Type == ParticipantType.User && s.Coach.Id == userId);
    }

    private static SessionDecision? RequireOpenSuggestion(SuggestedSession s, DateTimeOffset now, string verb)
    {
        if (s.State != SessionState.Suggested)
        {
            return SessionDecision.Refuse(s, Refusal.InvalidState($"Only a Suggested session can be {verb}; this one is {s.State}."));
        }

        return now >= s.ExpiresAt
            ? SessionDecision.Refuse(s, Refusal.InvalidState($"The suggestion has expired and can no longer be {verb}."))
            : null;
    }

    private static SuggestedSession Cancel(SuggestedSession s, string actor, DateTimeOffset now, CanceledBy by, string? reason, string action) =>
        s with
        {
            State = SessionState.Canceled,
            CanceledBy = by,
            CancelReason = reason,
            CanceledByUser = by is CanceledBy.Coach or CanceledBy.Trainee ? actor : null,
            History = s.History.Add(new SessionHistoryEntry(actor, now, s.State, SessionState.Canceled, action)),
        };

    private static (SuggestedSession Next, Refusal? Refusal) ApplyChanges(
        SuggestedSession s, SessionChanges changes, DateTimeOffset now, DirectorySnapshot directory, SuggestionAuthor author)
    {
        var title = changes.Title ?? s.Title;
        var coach = changes.Coach ?? s.Coach;
        var trainees = changes.Trainees is { IsDefault: false } t ? t : s.Trainees;
        var area = changes.CoachingArea ?? s.CoachingArea;
        if (ShapeProblems(title, coach, trainees, area) is { } shape)
        {
            return (s, shape);
        }

        var failures = SuggestionValidator.Validate(s.SuggestedBy, coach, trainees, area, changes.ExpiresAt, now, directory, author);
        if (!failures.IsEmpty)
        {
            return (s, Refusal.RuleViolation(failures));
        }

        return (s with
        {
            Title = title.Trim(),
            Coach = coach,
            Trainees = [.. trainees.Distinct()],
            TraineeUsers = SuggestionValidator.Expand(s.SuggestedBy, trainees, directory),
            CoachUsers = SuggestionValidator.ExpandCoach(s.SuggestedBy, coach, directory),
            CoachingArea = area,
            ExpiresAt = changes.ExpiresAt ?? s.ExpiresAt,
            ReferenceCases = changes.ReferenceCases is { IsDefault: false } cases ? [.. cases.Distinct(StringComparer.Ordinal)] : s.ReferenceCases,
        }, null);
    }

    private static Refusal? ShapeProblems(string? title, Participant? coach, ImmutableArray<Participant> trainees, string? area)
    {
        var problems = ImmutableArray.CreateBuilder<RefusalReason>();
        if (TextRule.Name.Check(title) is { } titleProblem)
        {
            problems.Add(titleProblem.For("title"));
        }

        if (coach is null || string.IsNullOrWhiteSpace(coach.Id))
        {
            problems.Add(new RefusalReason("required", "A coach (one user or one group) is required.", "coach"));
        }

        if (trainees.IsDefaultOrEmpty)
        {
            problems.Add(new RefusalReason("required", "At least one trainee is required.", "trainees"));
        }
        else if (trainees.Any(t => t is null || string.IsNullOrWhiteSpace(t.Id)))
        {
            problems.Add(new RefusalReason("required", "Every trainee needs an id.", "trainees"));
        }

        if (string.IsNullOrWhiteSpace(area))
        {
            problems.Add(new RefusalReason("required", "A coaching area is required.", "coachingArea"));
        }

        return problems.Count == 0 ? null : Refusal.InvalidRequest(problems.ToImmutable());
    }

    private static Refusal? TextProblem(string field, string? text) =>
        TextRule.Text.Check(text) is { } problem ? Refusal.InvalidRequest([problem.For(field)]) : null;
}

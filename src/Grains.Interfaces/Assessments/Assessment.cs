using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>Where the assessment came from: the event that matched the coaching moment.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-source")]
public sealed record AssessmentSource(
    [property: Id(0)] string Table,
    [property: Id(1)] string RecordId,
    [property: Id(2)] string EventId);

/// <summary>One recorded step of the lifecycle: who did what, when, from which state to which.</summary>
/// <param name="Actor">User id, or <see cref="AssessmentHistoryEntry.SystemActor"/> for expiry.</param>
/// <param name="Action">What happened, e.g. <c>created</c>, <c>claimed</c>, <c>started</c>.</param>
[GenerateSerializer, Immutable, Alias("coaching.assessment-history-entry")]
public sealed record AssessmentHistoryEntry(
    [property: Id(0)] string Actor,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] AssessmentState? From,
    [property: Id(3)] AssessmentState To,
    [property: Id(4)] string Action)
{
    /// <summary>Actor recorded for transitions nobody asked for (expiry).</summary>
    public const string SystemActor = "system";
}

/// <summary>A work note in the assessment's journal, written by the coach or the trainee.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-note")]
public sealed record AssessmentNote(
    [property: Id(0)] string Author,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Text);

/// <summary>A recommended learning attached to every assessment of an opportunity.</summary>
[GenerateSerializer, Immutable, Alias("coaching.recommended-learning")]
public sealed record RecommendedLearning(
    [property: Id(0)] string Title,
    [property: Id(1)] string? Url);

/// <summary>A virtual coach item held as a task for the trainee (virtual completion mode).</summary>
[GenerateSerializer, Immutable, Alias("coaching.learning-task")]
public sealed record LearningTask(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Url,
    [property: Id(3)] DateTimeOffset? CompletedAt = null)
{
    public bool IsCompleted => CompletedAt is not null;
}

/// <summary>
/// The whole state of one coaching assessment. Grains persist it and return it; the rules in
/// <c>Coaching.Assessments.AssessmentLifecycle</c> (Coaching.Grains) are the only code that
/// produces a changed copy of it.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment")]
public sealed record Assessment
{
    [Id(0)] public string Id { get; init; } = string.Empty;
    [Id(1)] public string OpportunityId { get; init; } = string.Empty;
    [Id(2)] public int OpportunityVersion { get; init; }
    [Id(3)] public string TraineeId { get; init; } = string.Empty;
    /// <summary>Assigned coach; null while unassigned in the group queue and always in virtual mode.</summary>
    [Id(4)] public string? CoachId { get; init; }
    [Id(5)] public string? CoachGroupId { get; init; }
    [Id(6)] public AssessmentState State { get; init; }
    [Id(7)] public CloseReason? CloseReason { get; init; }
    [Id(8)] public AssessmentSource? Source { get; init; }
    /// <summary>Captured snapshot field values and capture-script properties (as JSON text).</summary>
    [Id(9)] public ImmutableDictionary<string, string?> Snapshot { get; init; } = ImmutableDictionary<string, string?>.Empty;
    [Id(10)] public string? ScriptError { get; init; }
    [Id(11)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The opportunity's assessment duration at creation; due = created (or reopened) + this.</summary>
    [Id(12)] public TimeSpan Duration { get; init; }
    [Id(13)] public DateTimeOffset DueAt { get; init; }
    /// <summary>Due date passed while open and close-on-expiry is off.</summary>
    [Id(14)] public bool Overdue { get; init; }
    [Id(15)] public bool CloseOnExpiry { get; init; }
    [Id(16)] public CompletionMode Completion { get; init; }
    [Id(17)] public string? Summary { get; init; }
    [Id(18)] public AssessmentRating? Rating { get; init; }
    [Id(19)] public string? FollowUp { get; init; }
    [Id(20)] public ImmutableList<AssessmentNote> Notes { get; init; } = [];
    [Id(21)] public ImmutableList<LearningTask> LearningTasks { get; init; } = [];
    [Id(22)] public ImmutableList<RecommendedLearning> RecommendedLearnings { get; init; } = [];
    /// <summary>The opportunity's survey for the trainee (filled by the coach).</summary>
    [Id(23)] public string? TraineeSurveyId { get; init; }
    /// <summary>The opportunity's survey for the coach (filled by the trainee).</summary>
    [Id(24)] public string? CoachSurveyId { get; init; }
    /// <summary>Surveys are requested once, on the first entry into Resolved.</summary>
    [Id(25)] public bool SurveysRequested { get; init; }
    /// <summary>How the trainee was rated: mean of the rating answers of the survey the coach filled.</summary>
    [Id(26)] public double? TraineeRating { get; init; }
    /// <summary>How the coach was rated: mean of the rating answers of the survey the trainee filled.</summary>
    [Id(27)] public double? CoachRating { get; init; }
    /// <summary>First time the assessment entered Resolved; basis of time-to-resolve.</summary>
    [Id(28)] public DateTimeOffset? FirstResolvedAt { get; init; }
    [Id(29)] public ImmutableList<AssessmentHistoryEntry> History { get; init; } = [];
}

/// <summary>
/// Who issues an assessment command: the token's <c>sub</c>, and whether it has the <c>coaching.admin</c> and the
/// <c>coach</c> roles. Coach actions need the coach role as well as membership of the coach group, so a directory
/// mistake (an agent in a coach group) does not make an agent a coach.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-actor")]
public sealed record AssessmentActor(
    [property: Id(0)] string UserId,
    [property: Id(1)] bool IsAdmin = false,
    [property: Id(2)] bool IsCoach = false);

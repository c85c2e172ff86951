using System.Collections.Immutable;

namespace Coaching.Sessions;

/// <summary>A coach or trainee of a session: one user or one group (<c>{"type": "user", "id": "u-17"}</c>).</summary>
[GenerateSerializer, Immutable, Alias("coaching.participant")]
public sealed record Participant(
    [property: Id(0)] ParticipantType Type,
    [property: Id(1)] string Id)
{
    public static Participant User(string id) => new(ParticipantType.User, id);
    public static Participant Group(string id) => new(ParticipantType.Group, id);
}

/// <summary>One recorded transition of a session: who, when, from which state to which.</summary>
/// <param name="Action">e.g. <c>suggested</c>, <c>edited</c>, <c>scheduled</c>, <c>declined</c>.</param>
[GenerateSerializer, Immutable, Alias("coaching.session-history-entry")]
public sealed record SessionHistoryEntry(
    [property: Id(0)] string Actor,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] SessionState? From,
    [property: Id(3)] SessionState To,
    [property: Id(4)] string Action)
{
    /// <summary>Actor recorded for expiry.</summary>
    public const string SystemActor = "system";
}

/// <summary>
/// What the supervisor sends to suggest a session (<c>POST /v1/sessions</c>).
/// A null <see cref="ExpiresAt"/> means the default: now + 3 months.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.session-draft")]
public sealed record SessionDraft(
    [property: Id(0)] string Title,
    [property: Id(1)] Participant Coach,
    [property: Id(2)] ImmutableArray<Participant> Trainees,
    [property: Id(3)] string CoachingArea,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] ImmutableArray<string> ReferenceCases);

/// <summary>
/// A partial change: null members stay as they are. Used by the supervisor's edit
/// (<c>PATCH</c>, every member) and by the coach when scheduling (title, trainees, area, cases).
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.session-changes")]
public sealed record SessionChanges(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] Participant? Coach = null,
    [property: Id(2)] ImmutableArray<Participant>? Trainees = null,
    [property: Id(3)] string? CoachingArea = null,
    [property: Id(4)] DateTimeOffset? ExpiresAt = null,
    [property: Id(5)] ImmutableArray<string>? ReferenceCases = null)
{
    public static SessionChanges None { get; } = new();
}

/// <summary>The whole state of one suggested coaching session (<c>GET /v1/sessions/{id}</c>).</summary>
[GenerateSerializer, Immutable, Alias("coaching.suggested-session")]
public sealed record SuggestedSession
{
    [Id(0)] public string Id { get; init; } = string.Empty;
    [Id(1)] public string Title { get; init; } = string.Empty;
    [Id(2)] public Participant Coach { get; init; } = Participant.User(string.Empty);
    [Id(3)] public ImmutableArray<Participant> Trainees { get; init; } = [];
    /// <summary>Trainee users, groups expanded when the session was suggested or last edited.</summary>
    [Id(4)] public ImmutableArray<string> TraineeUsers { get; init; } = [];
    /// <summary>Coach users (the coach user, or the coach group's members) expanded like <see cref="TraineeUsers"/>.</summary>
    [Id(5)] public ImmutableArray<string> CoachUsers { get; init; } = [];
    [Id(6)] public string CoachingArea { get; init; } = string.Empty;
    [Id(7)] public ImmutableArray<string> ReferenceCases { get; init; } = [];
    /// <summary>The supervisor's user id.</summary>
    [Id(8)] public string SuggestedBy { get; init; } = string.Empty;
    [Id(9)] public SessionState State { get; init; }
    [Id(10)] public CanceledBy? CanceledBy { get; init; }
    [Id(11)] public string? CancelReason { get; init; }
    /// <summary>User who declined (coach member or trainee); null for supervisor deletion and expiry.</summary>
    [Id(12)] public string? CanceledByUser { get; init; }
    [Id(13)] public DateTimeOffset CreatedAt { get; init; }
    [Id(14)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(15)] public DateTimeOffset? ScheduledAt { get; init; }
    [Id(16)] public int? DurationMinutes { get; init; }
    /// <summary>The coach user who scheduled it (a member, when the coach is a group).</summary>
    [Id(17)] public string? ScheduledBy { get; init; }
    [Id(18)] public string? Notes { get; init; }
    [Id(19)] public ImmutableArray<SessionHistoryEntry> History { get; init; } = [];
}

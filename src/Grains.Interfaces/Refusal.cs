using System.Collections.Immutable;
using System.Text.Json.Serialization;

// Shared by the rules of every area (assessments, sessions, opportunities), hence the root namespace and folder.
namespace Coaching;

/// <summary>
/// How the HTTP layer should answer a refused command. The domain does not know HTTP; this is the
/// one mapping point: <see cref="InvalidState"/> = 409 <c>invalid-state</c>;
/// <see cref="NotAllowed"/> = 403, or 404 when the caller may not even see the resource (the HTTP
/// layer checks visibility before it calls the rules); <see cref="InvalidRequest"/> = 400
/// <c>invalid-request</c> with field errors; <see cref="RuleViolation"/> = 422 with the rule's code.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefusalKind>))]
public enum RefusalKind
{
    [JsonStringEnumMemberName("invalid-state")] InvalidState,
    [JsonStringEnumMemberName("not-allowed")] NotAllowed,
    [JsonStringEnumMemberName("invalid-request")] InvalidRequest,
    [JsonStringEnumMemberName("rule-violation")] RuleViolation,
}

/// <summary>One failed check: the API error code and, when it is about one input field, that field.</summary>
[GenerateSerializer, Immutable, Alias("coaching.refusal-reason")]
public sealed record RefusalReason(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] string? Field = null);

/// <summary>
/// Why a command was refused. <see cref="Code"/> is the response's <c>code</c> (the first reason's
/// code); <see cref="Reasons"/> lists every check that failed, in the rules' precedence order.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.refusal")]
public sealed record Refusal(
    [property: Id(0)] RefusalKind Kind,
    [property: Id(1)] ImmutableArray<RefusalReason> Reasons)
{
    /// <summary>
    /// Error code of the response: <c>invalid-state</c>, <c>invalid-request</c> (details per field are in
    /// <see cref="Reasons"/>), or for a rule violation the first (highest-precedence) rule's code.
    /// </summary>
    public string Code => Kind switch
    {
        RefusalKind.InvalidState => Codes.InvalidState,
        RefusalKind.InvalidRequest => Codes.InvalidRequest,
        RefusalKind.NotAllowed => Codes.NotAllowed,
        _ => Reasons.IsDefaultOrEmpty ? Codes.InvalidRequest : Reasons[0].Code,
    };

    /// <summary>Human-readable text of the first reason.</summary>
    public string Message => Reasons.IsDefaultOrEmpty ? string.Empty : Reasons[0].Message;

    public static Refusal InvalidState(string message) =>
        new(RefusalKind.InvalidState, [new RefusalReason(Codes.InvalidState, message)]);

    public static Refusal NotAllowed(string message) =>
        new(RefusalKind.NotAllowed, [new RefusalReason(Codes.NotAllowed, message)]);

    public static Refusal InvalidRequest(string field, string message) =>
        new(RefusalKind.InvalidRequest, [new RefusalReason(Codes.InvalidRequest, message, field)]);

    public static Refusal InvalidRequest(ImmutableArray<RefusalReason> reasons) =>
        new(RefusalKind.InvalidRequest, reasons);

    public static Refusal RuleViolation(ImmutableArray<RefusalReason> reasons) =>
        new(RefusalKind.RuleViolation, reasons);

    /// <summary>Error codes of API.md used by the rules, spelled once.</summary>
    public static class Codes
    {
        public const string InvalidRequest = "invalid-request";
        public const string InvalidState = "invalid-state";
        public const string NotAllowed = "not-allowed";
        public const string SupervisorAsParticipant = "supervisor-as-participant";
        public const string CoachTraineeOverlap = "coach-trainee-overlap";
        public const string SupervisorOnlyCoachMember = "supervisor-only-coach-member";
        public const string SupervisorOnlyTraineeMember = "supervisor-only-trainee-member";
        public const string CoachSelectedSupervisor = "coach-selected-supervisor";
        public const string UnknownUser = "unknown-user";
        public const string UnknownGroup = "unknown-group";
        public const string UnknownCoachingArea = "unknown-coaching-area";
        public const string ExpiryInPast = "expiry-in-past";
        public const string UnknownSurvey = "unknown-survey";
        public const string InvalidCondition = "invalid-condition";
        public const string InvalidScript = "invalid-script";

        /// <summary>An assessment holds as many notes, or as much note text, as it may (see AssessmentLifecycle).</summary>
        public const string NotesLimit = "notes-limit";

        /// <summary>An assessment has recorded as many steps as it may; steps that can repeat without end are refused.</summary>
        public const string HistoryLimit = "history-limit";
    }
}

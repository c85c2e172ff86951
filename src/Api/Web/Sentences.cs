namespace Coaching.Api.Web;

/// <summary>The problem codes of API.md as sentences a person understands: one place, for every page.</summary>
public static class Sentences
{
    private static readonly Dictionary<string, string> ByCode = new(StringComparer.Ordinal)
    {
        [Refusal.Codes.SupervisorAsParticipant] = "You suggested this session, so you cannot also be its coach or one of its trainees.",
        [Refusal.Codes.CoachTraineeOverlap] = "The same person or group cannot be both the coach and a trainee, also not through a group's members.",
        [Refusal.Codes.SupervisorOnlyCoachMember] = "That coach group's only member is you, the supervisor. Choose a group with other coaches.",
        [Refusal.Codes.SupervisorOnlyTraineeMember] = "A trainee group's only member is you, the supervisor. Choose a group with other agents.",
        [Refusal.Codes.CoachSelectedSupervisor] = "The supervisor who suggested this session cannot be chosen as its coach or as a trainee.",
        [Refusal.Codes.UnknownUser] = "A user you named is not in the directory, or has been deleted.",
        [Refusal.Codes.UnknownGroup] = "A group you named is not in the directory.",
        [Refusal.Codes.UnknownCoachingArea] = "That coaching area does not exist.",
        [Refusal.Codes.ExpiryInPast] = "The expiry must be in the future.",
        [Refusal.Codes.UnknownSurvey] = "That survey does not exist.",
        [Refusal.Codes.InvalidCondition] = "The coaching moment's condition is not valid.",
        [Refusal.Codes.InvalidScript] = "The capture script does not compile.",
        [Refusal.Codes.NotesLimit] = "This assessment holds as many notes as it can; no more can be added.",
        [Refusal.Codes.HistoryLimit] = "This assessment has recorded as many steps as it can; it can no longer be claimed, reassigned or reopened.",
        [Refusal.Codes.InvalidState] = "That cannot be done in the current state; the page shows the state as it is now.",
        [Errors.Problems.ForbiddenCode] = "You are not allowed to do that.",
        [Refusal.Codes.NotAllowed] = "You are not allowed to do that.",
        [Errors.Problems.NotFoundCode] = "That could not be found, or you may not see it.",
        ["unavailable"] = "The service could not be reached just now. Nothing was lost: try again in a moment.",
    };

    public static string For(ConsoleProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Code == Refusal.Codes.InvalidRequest)
        {
            var fields = problem.Errors.Select(e => FieldMessage(e.Key, string.Join(" ", e.Value))).ToList();
            return fields.Count == 0 ? "Some of what you entered is not valid." : "Please check what you entered: " + string.Join(" ", fields);
        }

        if (problem.Reasons.Count > 1)
        {
            return string.Join(" ", problem.Reasons.Select(r => ForCode(r.Code, r.Message)).Distinct());
        }

        return ForCode(problem.Code, problem.Detail);
    }

    public static string ForCode(string code, string detail) =>
        ByCode.TryGetValue(code, out var sentence)
            ? code is "invalid-condition" or "invalid-script" or "unknown-user" or "unknown-group" && detail.Length > 0 ? $"{sentence} {detail}" : sentence
            : detail.Length > 0 ? detail : "That did not work.";

    /// <summary>A field's message, named the way the form labels it.</summary>
    public static string FieldMessage(string field, string message)
    {
        var name = field.Length == 0 ? "" : char.ToUpperInvariant(field[0]) + field[1..];
        var sentence = $"{name} {message}".Trim();
        return sentence.EndsWith('.') ? sentence : sentence + ".";
    }
}

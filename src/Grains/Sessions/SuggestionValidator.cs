using System.Collections.Immutable;

namespace Coaching.Sessions;

/// <summary>Who is filling in the session's fields.</summary>
public enum SuggestionAuthor
{
    /// <summary>The supervisor suggests or edits: a supervisor appearing as participant is <c>supervisor-as-participant</c>.</summary>
    Supervisor,
    /// <summary>The coach schedules and changes fields: the same mistake is <c>coach-selected-supervisor</c>.</summary>
    Coach,
}

/// <summary>
/// The business rules of a suggested session's participants (SPEC B "Validation"; codes of API.md).
/// <para><b>Precedence</b> (all failures are returned in this order; the first one is the response
/// <c>code</c>): <c>unknown-user</c>, <c>unknown-group</c>, <c>unknown-coaching-area</c>,
/// <c>expiry-in-past</c>, <c>supervisor-as-participant</c> / <c>coach-selected-supervisor</c>,
/// <c>supervisor-only-coach-member</c>, <c>supervisor-only-trainee-member</c>,
/// <c>coach-trainee-overlap</c>. Existence comes first because the other rules reason about members;
/// rules that need a group's members skip groups that are unknown.</para>
/// <para><b>Expansion.</b> Groups are expanded to their active members. The supervisor is left out of
/// both expansions: a supervisor who belongs to a trainee (or coach) group that has other members is
/// <i>not</i> a violation; the session simply neither coaches nor notifies them. Only when the
/// supervisor is the group's <i>only</i> active member is it refused (<c>supervisor-only-*-member</c>).
/// Naming the supervisor directly as the coach or a trainee is always refused.</para>
/// <para><b>Overlap.</b> One principle: after expansion no user may be on both sides. That covers the
/// same user or the same group on both sides, the coach user being a member of a trainee group, a
/// trainee user being a member of the coach group, and a coach group and a trainee group sharing a
/// member (that member could otherwise schedule a session that coaches themselves).</para>
/// </summary>
public static class SuggestionValidator
{
    private static readonly ImmutableArray<string> Precedence =
    [
        Refusal.Codes.UnknownUser,
        Refusal.Codes.UnknownGroup,
        Refusal.Codes.UnknownCoachingArea,
        Refusal.Codes.ExpiryInPast,
        Refusal.Codes.SupervisorAsParticipant,
        Refusal.Codes.CoachSelectedSupervisor,
        Refusal.Codes.SupervisorOnlyCoachMember,
        Refusal.Codes.SupervisorOnlyTraineeMember,
        Refusal.Codes.CoachTraineeOverlap,
    ];

    /// <summary>
    /// Every rule the participants, area and expiry break, ordered by precedence; empty when valid.
    /// </summary>
    /// <param name="expiresAt">Checked against <paramref name="now"/> when given; null skips the check
    /// (the coach does not set the expiry; an edit that leaves it alone keeps it).</param>
    public static ImmutableArray<RefusalReason> Validate(
        string supervisorId,
        Participant coach,
        IReadOnlyList<Participant> trainees,
        string coachingArea,
        DateTimeOffset? expiresAt,
        DateTimeOffset now,
        DirectorySnapshot directory,
        SuggestionAuthor author = SuggestionAuthor.Supervisor)
    {
        ArgumentNullException.ThrowIfNull(coach);
        ArgumentNullException.ThrowIfNull(trainees);
        ArgumentNullException.ThrowIfNull(directory);
        var failures = new List<RefusalReason>();
        var sides = new List<(Participant Who, string Field, bool IsCoach)> { (coach, "coach", true) };
        sides.AddRange(trainees.Select((t, i) => (t, $"trainees[{i}]", false)));

        foreach (var (who, field, _) in sides)
        {
            if (who.Type == ParticipantType.User && !directory.IsActiveUser(who.Id))
            {
                failures.Add(new RefusalReason(Refusal.Codes.UnknownUser, $"User '{who.Id}' is unknown or deleted.", field));
            }
            else if (who.Type == ParticipantType.Group && !directory.IsActiveGroup(who.Id))
            {
                failures.Add(new RefusalReason(Refusal.Codes.UnknownGroup, $"Group '{who.Id}' is unknown or deleted.", field));
            }
        }

        if (!directory.HasCoachingArea(coachingArea))
        {
            failures.Add(new RefusalReason(Refusal.Codes.UnknownCoachingArea, $"Coaching area '{coachingArea}' is unknown.", "coachingArea"));
        }

        if (expiresAt is { } expiry && expiry <= now)
        {
            failures.Add(new RefusalReason(Refusal.Codes.ExpiryInPast, "The expiry time must be in the future.", "expiresAt"));
        }

        foreach (var (who, field, isCoach) in sides.Where(s => s.Who.Type == ParticipantType.User && s.Who.Id == supervisorId))
        {
            failures.Add(author == SuggestionAuthor.Coach
                ? new RefusalReason(Refusal.Codes.CoachSelectedSupervisor, "The coach cannot select the supervisor as coach or trainee.", field)
                : new RefusalReason(Refusal.Codes.SupervisorAsParticipant, $"The supervisor cannot be {(isCoach ? "the coach" : "a trainee")}.", field));
        }

        foreach (var (who, field, isCoach) in sides.Where(s => s.Who.Type == ParticipantType.Group && directory.IsActiveGroup(s.Who.Id)))
        {
            var members = directory.ActiveMembers(who.Id);
            if (members.Length == 1 && members[0] == supervisorId)
            {
                failures.Add(isCoach
                    ? new RefusalReason(Refusal.Codes.SupervisorOnlyCoachMember, $"The only member of coach group '{who.Id}' is the supervisor.", field)
                    : new RefusalReason(Refusal.Codes.SupervisorOnlyTraineeMember, $"The only member of trainee group '{who.Id}' is the supervisor.", field));
            }
        }

        var coachUsers = ExpandCoach(supervisorId, coach, directory).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < trainees.Count; i++)
        {
            var trainee = trainees[i];
            var sameParticipant = trainee == coach;
            var shared = Expand(supervisorId, [trainee], directory).Where(coachUsers.Contains).ToList();
            if (sameParticipant || shared.Count > 0)
            {
                var detail = sameParticipant
                    ? $"{coach.Type} '{coach.Id}' is both coach and trainee."
                    : $"User(s) {string.Join(", ", shared.Select(u => $"'{u}'"))} would be both coach and trainee.";
                failures.Add(new RefusalReason(Refusal.Codes.CoachTraineeOverlap, detail, $"trainees[{i}]"));
            }
        }

        return [.. failures.OrderBy(f => Precedence.IndexOf(f.Code))];
    }

    /// <summary>Coach users: the coach user, or the coach group's active members, without the supervisor.</summary>
    public static ImmutableArray<string> ExpandCoach(string supervisorId, Participant coach, DirectorySnapshot directory) =>
        Expand(supervisorId, [coach], directory);

    /// <summary>
    /// Users named directly or through groups (active members), in order, without duplicates and
    /// without the supervisor (see the class remarks).
    /// </summary>
    public static ImmutableArray<string> Expand(string supervisorId, IEnumerable<Participant> participants, DirectorySnapshot directory)
    {
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(directory);
        return
        [
            .. participants
                .SelectMany(p => p.Type == ParticipantType.User ? [p.Id] : directory.ActiveMembers(p.Id))
                .Where(u => u != supervisorId)
                .Distinct(StringComparer.Ordinal),
        ];
    }
}

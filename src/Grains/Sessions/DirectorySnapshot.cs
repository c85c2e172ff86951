using System.Collections.Immutable;

namespace Coaching.Sessions;

/// <summary>A user as the directory knows it. A deleted user still exists but is refused as a participant.</summary>
public sealed record DirectoryUser(string Id, string DisplayName, bool Deleted = false);

/// <summary>A group as the directory knows it, with its member user ids.</summary>
public sealed record DirectoryGroup(string Id, string Name, ImmutableArray<string> Members, bool Deleted = false);

/// <summary>
/// The part of the directory a session rule needs, looked up by the grain before calling the rules:
/// every user and group the command names (and the group members' users), and the coaching areas.
/// A user or group missing from the snapshot is unknown.
/// </summary>
public sealed class DirectorySnapshot
{
    private readonly ImmutableDictionary<string, DirectoryUser> users;
    private readonly ImmutableDictionary<string, DirectoryGroup> groups;
    private readonly ImmutableHashSet<string> areas;

    public DirectorySnapshot(IEnumerable<DirectoryUser> users, IEnumerable<DirectoryGroup> groups, IEnumerable<string> coachingAreas)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(coachingAreas);
        this.users = users.ToImmutableDictionary(u => u.Id, StringComparer.Ordinal);
        this.groups = groups.ToImmutableDictionary(g => g.Id, StringComparer.Ordinal);
        areas = coachingAreas.ToImmutableHashSet(StringComparer.Ordinal);
    }

    /// <summary>Known and not deleted.</summary>
    public bool IsActiveUser(string userId) => users.TryGetValue(userId, out var u) && !u.Deleted;

    /// <summary>Known and not deleted.</summary>
    public bool IsActiveGroup(string groupId) => groups.TryGetValue(groupId, out var g) && !g.Deleted;

    public bool HasCoachingArea(string areaId) => areas.Contains(areaId);

    /// <summary>
    /// Members of the group that are active users, in the group's order, without duplicates. Deleted or
    /// unknown member ids are left out: they can be neither coached nor notified.
    /// </summary>
    public ImmutableArray<string> ActiveMembers(string groupId) =>
        groups.TryGetValue(groupId, out var g) && !g.Deleted
            ? [.. g.Members.Where(IsActiveUser).Distinct(StringComparer.Ordinal)]
            : [];

    /// <summary>The user's display name; the id itself when the snapshot does not know the user.</summary>
    public string DisplayName(string userId) =>
        users.TryGetValue(userId, out var u) && !string.IsNullOrWhiteSpace(u.DisplayName) ? u.DisplayName : userId;
}

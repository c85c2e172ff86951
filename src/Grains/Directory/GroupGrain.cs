using System.Collections.Immutable;

namespace Coaching.Directory;

[GenerateSerializer, Alias("coaching.group-state")]
public sealed class GroupState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string DisplayName { get; set; } = "";
    [Id(2)] public List<string> Members { get; set; } = [];
}

public sealed class GroupGrain([PersistentState("group", StorageNames.Coaching)] IPersistentState<GroupState> group)
    : Grain, IGroupGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<GroupView> Put(string displayName, ImmutableArray<string> members)
    {
        var before = group.State.Members.ToHashSet(StringComparer.Ordinal);
        var after = members.Distinct(StringComparer.Ordinal).ToList();

        group.State.Exists = true;
        group.State.DisplayName = displayName;
        group.State.Members = after;
        await group.WriteStateAsync();

        // The users' side of the membership is kept after the group is saved; a repeated PUT repairs
        // it should a user grain have been unreachable in between.
        var joined = after.Select(m => GrainFactory.GetGrain<IUserGrain>(m).SetMembership(Id, member: true));
        var left = before.Except(after).Select(m => GrainFactory.GetGrain<IUserGrain>(m).SetMembership(Id, member: false));
        await Task.WhenAll(joined.Concat(left));

        return View();
    }

    public Task<GroupView?> Get() => Task.FromResult(group.State.Exists ? View() : null);

    private GroupView View() => new(Id, group.State.DisplayName, [.. group.State.Members]);
}

using System.Collections.Immutable;

namespace Coaching.Roster;

[GenerateSerializer, Alias("coaching.user-state")]
public sealed class UserState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string DisplayName { get; set; } = "";
    [Id(2)] public string? Email { get; set; }
    [Id(3)] public bool Active { get; set; }
    [Id(4)] public bool Deleted { get; set; }
    [Id(5)] public SortedSet<string> Groups { get; set; } = new(StringComparer.Ordinal);
}

public sealed class UserGrain([PersistentState("user", StorageNames.Coaching)] IPersistentState<UserState> user)
    : Grain, IUserGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<UserView> Put(UserUpdate update)
    {
        var s = user.State;
        s.Exists = true;
        s.DisplayName = update.DisplayName;
        s.Email = update.Email;
        s.Active = update.Active;
        await user.WriteStateAsync();
        return View(s);
    }

    public Task<UserView?> Get() => Task.FromResult(user.State.Exists ? View(user.State) : null);

    public async Task<bool> Delete()
    {
        if (!user.State.Exists)
        {
            return false;
        }

        if (!user.State.Deleted)
        {
            user.State.Deleted = true;
            await user.WriteStateAsync();
        }

        return true;
    }

    public async Task SetMembership(string groupId, bool member)
    {
        var changed = member ? user.State.Groups.Add(groupId) : user.State.Groups.Remove(groupId);
        if (changed)
        {
            await user.WriteStateAsync();
        }
    }

    private UserView View(UserState s) =>
        new(Id, s.DisplayName, s.Email, s.Active, s.Deleted, [.. s.Groups]);
}

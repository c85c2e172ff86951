using Coaching.Assessments;

namespace Coaching.Directory;

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
        await LeaveQueuesUnlessEligible();
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

        await LeaveQueuesUnlessEligible();
        return true;
    }

    /// <summary>
    /// A user who may no longer act gets no new work (assignment only picks eligible members) and gives back what it
    /// holds: its open assessments return to their coach groups' queues. Repeating it (another delete, a retry after a
    /// failure part way) releases whatever is still held.
    /// </summary>
    private async Task LeaveQueuesUnlessEligible()
    {
        if (View(user.State).IsEligible)
        {
            return;
        }

        var queue = GrainFactory.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(Id));
        var open = new AssessmentFilter([AssessmentState.New, AssessmentState.InProgress, AssessmentState.Resolved]);
        string? cursor = null;
        var held = new List<string>();
        do
        {
            var page = await queue.List(open, 200, cursor);
            held.AddRange(page.Items.Select(line => line.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        foreach (var id in held)
        {
            await GrainFactory.GetGrain<IAssessmentGrain>(id).Release(Id);
        }
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

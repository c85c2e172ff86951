using System.Collections.Immutable;

namespace Coaching.Directory;

[GenerateSerializer, Alias("coaching.coaching-areas-state")]
public sealed class CoachingAreasState
{
    [Id(0)] public SortedDictionary<string, string> Areas { get; set; } = new(StringComparer.Ordinal);
}

public sealed class CoachingAreasGrain(
    [PersistentState("coaching-areas", StorageNames.Coaching)] IPersistentState<CoachingAreasState> areas)
    : Grain, ICoachingAreasGrain
{
    public async Task<CoachingArea> Put(string id, string name)
    {
        if (!areas.State.Areas.TryGetValue(id, out var current) || current != name)
        {
            areas.State.Areas[id] = name;
            await areas.WriteStateAsync();
        }

        return new CoachingArea(id, name);
    }

    public Task<CoachingArea?> Get(string id) =>
        Task.FromResult(areas.State.Areas.TryGetValue(id, out var name) ? new CoachingArea(id, name) : null);

    public Task<ImmutableArray<CoachingArea>> List() =>
        Task.FromResult(areas.State.Areas.Select(a => new CoachingArea(a.Key, a.Value)).ToImmutableArray());
}

using System.Collections.Immutable;

namespace Coaching.Roster;

[GenerateSerializer, Alias("coaching.coaching-areas-state")]
public sealed class CoachingAreaCatalogState
{
    [Id(0)] public SortedDictionary<string, string> Areas { get; set; } = new(StringComparer.Ordinal);
}

public sealed class CoachingAreaCatalogGrain(
    [PersistentState("coaching-areas", StorageNames.Coaching)] IPersistentState<CoachingAreaCatalogState> catalog)
    : Grain, ICoachingAreaCatalogGrain
{
    public async Task<CoachingArea> Put(string id, string name)
    {
        if (!catalog.State.Areas.TryGetValue(id, out var current) || current != name)
        {
            catalog.State.Areas[id] = name;
            await catalog.WriteStateAsync();
        }

        return new CoachingArea(id, name);
    }

    public Task<CoachingArea?> Get(string id) =>
        Task.FromResult(catalog.State.Areas.TryGetValue(id, out var name) ? new CoachingArea(id, name) : null);

    public Task<ImmutableArray<CoachingArea>> List() =>
        Task.FromResult(catalog.State.Areas.Select(a => new CoachingArea(a.Key, a.Value)).ToImmutableArray());
}

namespace Coaching.Opportunities;

[GenerateSerializer, Alias("coaching.opportunity-state")]
public sealed class OpportunityState
{
    [Id(0)] public Opportunity? Current { get; set; }
}

/// <summary>
/// One opportunity. Saves its new version first, then publishes it to the catalog, then pushes the catalog to every
/// silo (<see cref="CatalogBroadcast"/>); a save whose publish failed is repaired by saving again (the version moves
/// on, the catalog takes the newest).
/// </summary>
public sealed class OpportunityGrain(
    [PersistentState("opportunity", StorageNames.Coaching)] IPersistentState<OpportunityState> state,
    TimeProvider clock,
    CatalogBroadcast broadcast) : Grain, IOpportunityGrain
{
    public Task<Opportunity?> Get() => Task.FromResult(state.State.Current);

    public async Task<Opportunity> Save(OpportunityDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var now = clock.GetUtcNow();
        var current = state.State.Current;
        var next = new Opportunity
        {
            Id = this.GetPrimaryKeyString(),
            Version = (current?.Version ?? 0) + 1,
            Definition = definition,
            CreatedAt = current?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        state.State.Current = next;
        await state.WriteStateAsync();
        var catalog = await GrainFactory.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).Publish(next);
        await broadcast.Push(catalog);
        return next;
    }

    public async Task<Opportunity?> SetActive(bool active) =>
        state.State.Current is { } current ? await Save(current.Definition with { Active = active }) : null;
}

namespace Coaching.Opportunities;

[GenerateSerializer, Alias("coaching.opportunity-state")]
public sealed class OpportunityState
{
    [Id(0)] public Opportunity? Current { get; set; }
}

/// <summary>
/// One opportunity. Checks every draft it is asked to save (<see cref="OpportunityValidator"/>), then saves its new
/// version first, then publishes it to the catalog, then pushes the catalog to every
/// silo (<see cref="CatalogBroadcast"/>); a save whose publish failed is repaired by saving again (the version moves
/// on, the catalog takes the newest).
/// </summary>
public sealed class OpportunityGrain(
    [PersistentState("opportunity", StorageNames.Coaching)] IPersistentState<OpportunityState> state,
    TimeProvider clock,
    CatalogBroadcast broadcast) : Grain, IOpportunityGrain
{
    public Task<Opportunity?> Get() => Task.FromResult(state.State.Current);

    public async Task<OpportunitySave> Save(OpportunityDraft draft)
    {
        var check = await OpportunityValidator.Check(draft, new DirectoryReferences(GrainFactory));
        return check.Definition is { } definition ? new(await Store(definition), null) : new(null, check.Refusal);
    }

    /// <summary>
    /// Activation changes only the flag of a definition already checked: it is not checked again, so a group or survey
    /// deleted since never stops an administrator from switching an opportunity off.
    /// </summary>
    public async Task<Opportunity?> SetActive(bool active) =>
        state.State.Current is { } current ? await Store(current.Definition with { Active = active }) : null;

    private async Task<Opportunity> Store(OpportunityDefinition definition)
    {
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
}

namespace Coaching.Opportunities;

/// <summary>
/// Creating an opportunity, for the API and the console alike: the draft is checked before a number is reserved, so a
/// refused draft uses up no number; the new grain's <see cref="IOpportunityGrain.Save"/> checks it again (as every
/// save does), which only refuses if a named group, user or survey went away in between.
/// </summary>
public static class OpportunityCreation
{
    public static async Task<OpportunitySave> Create(IGrainFactory grains, OpportunityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var check = await OpportunityValidator.Check(draft, new DirectoryReferences(grains));
        if (check.Refusal is { } refusal)
        {
            return new(null, refusal);
        }

        var id = await grains.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).Reserve();
        return await grains.GetGrain<IOpportunityGrain>(id).Save(draft);
    }
}

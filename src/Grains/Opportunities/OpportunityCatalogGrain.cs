using System.Collections.Immutable;
using System.Globalization;

namespace Coaching.Opportunities;

[GenerateSerializer, Alias("coaching.opportunity-catalog-state")]
public sealed class OpportunityCatalogState
{
    /// <summary>The last number handed out.</summary>
    [Id(0)] public int LastNumber { get; set; }

    /// <summary>Moves on with every published change.</summary>
    [Id(1)] public long Version { get; set; }

    [Id(2)] public Dictionary<string, Opportunity> Opportunities { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Numbering and the versioned catalog (see <see cref="IOpportunityCatalogGrain"/>).</summary>
public sealed class OpportunityCatalogGrain(
    [PersistentState("opportunity-catalog", StorageNames.Coaching)] IPersistentState<OpportunityCatalogState> state)
    : Grain, IOpportunityCatalogGrain
{
    public const string NumberPrefix = "COP";

    private OpportunityCatalogSnapshot? snapshot;

    public static string Number(int n) => NumberPrefix + n.ToString("D7", CultureInfo.InvariantCulture);

    public async Task<string> Reserve()
    {
        state.State.LastNumber++;
        await state.WriteStateAsync();
        return Number(state.State.LastNumber);
    }

    public async Task<OpportunityCatalogSnapshot> Publish(Opportunity opportunity)
    {
        ArgumentNullException.ThrowIfNull(opportunity);
        if (state.State.Opportunities.TryGetValue(opportunity.Id, out var known) && known.Version >= opportunity.Version)
        {
            // A repeated publish (a save retried after its push was cut short) answers the current version to push again.
            return Current();
        }

        state.State.Opportunities[opportunity.Id] = opportunity;
        state.State.Version++;
        snapshot = null;
        await state.WriteStateAsync();
        return Current();
    }

    public Task<OpportunityCatalogSnapshot?> GetIfNewer(long knownVersion) =>
        Task.FromResult(knownVersion == state.State.Version ? null : Current());

    private OpportunityCatalogSnapshot Current() =>
        snapshot ??= new OpportunityCatalogSnapshot(
            state.State.Version,
            [.. state.State.Opportunities.Values.Where(o => o.Definition.Active).OrderBy(o => o.Id, StringComparer.Ordinal)]);

    public Task<ImmutableArray<Opportunity>> List() =>
        Task.FromResult<ImmutableArray<Opportunity>>([.. state.State.Opportunities.Values.OrderBy(o => o.Id, StringComparer.Ordinal)]);
}

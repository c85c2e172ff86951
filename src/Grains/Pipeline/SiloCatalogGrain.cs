using Coaching.Opportunities;

namespace Coaching.Pipeline;

/// <summary>Hands pushed catalog versions to this silo's <see cref="SiloCatalog"/> (see <see cref="ISiloCatalogGrain"/>).</summary>
[SiloKeyedPlacement]
public sealed class SiloCatalogGrain(SiloCatalog catalog) : Grain, ISiloCatalogGrain
{
    public Task Apply(OpportunityCatalogSnapshot snapshot)
    {
        catalog.Offer(snapshot);
        return Task.CompletedTask;
    }
}

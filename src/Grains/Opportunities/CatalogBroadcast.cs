using Coaching.Pipeline;
using Microsoft.Extensions.Logging;

namespace Coaching.Opportunities;

/// <summary>
/// Pushes a catalog version to every active silo and waits for each to hold it, at most <see cref="Bound"/>: an
/// opportunity write answers after this, so events that arrive after the answer are evaluated against it on any silo.
/// </summary>
/// <remarks>
/// Why a push rather than version fences: an event may reach another API process than the write, and that process
/// has no way to learn the version the write produced without asking one shared grain on every event, which is the
/// per-event hop the local catalog copy exists to avoid. A push costs one call per silo per write; writes are rare.
/// <para>
/// A silo that does not acknowledge within <see cref="Bound"/> (partitioned, overloaded, or dying before membership
/// declares it dead) does not hold the write up longer: the write answers, the gap is logged, and that silo serves
/// its older copy until its intake's background poll (<see cref="EventIntakeGrain.RefreshEvery"/>) reaches the
/// catalog again, or until membership declares it dead. docs/reliability.md says the same for operators.
/// </para>
/// </remarks>
public sealed class CatalogBroadcast(IGrainFactory grains, ILogger<CatalogBroadcast> logger)
{
    /// <summary>The longest a write waits for the silos' acknowledgements.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public async Task Push(OpportunityCatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var pushes = silos.Keys.Select(silo => (Silo: silo, Applied: Apply(silo, snapshot))).ToList();
        try
        {
            await Task.WhenAll(pushes.Select(p => p.Applied)).WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            // Each failed push is logged by Apply; the ones still running past the bound are named here.
        }

        var late = pushes.Where(p => !p.Applied.IsCompleted).Select(p => p.Silo).ToList();
        if (late.Count > 0)
        {
            logger.LogWarning(
                "Catalog version {Version} not acknowledged within {Bound} by {Silos}; they evaluate events against an older version until they poll it.",
                snapshot.Version, Bound, string.Join(", ", late));
        }
    }

    private async Task Apply(SiloAddress silo, OpportunityCatalogSnapshot snapshot)
    {
        try
        {
            await grains.GetGrain<ISiloCatalogGrain>(silo.ToParsableString()).Apply(snapshot);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Catalog version {Version} could not be pushed to silo {Silo}; it polls for it.", snapshot.Version, silo);
        }
    }
}

using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Coaching.Pipeline;

/// <summary>
/// Places a grain on the silo its string key names (<c>SiloAddress.ToParsableString()</c>), so a caller can reach
/// one given silo: what <see cref="ISiloCatalogGrain"/> needs to update every silo's catalog copy.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("coaching.silo-keyed-placement")]
public sealed class SiloKeyedPlacement : PlacementStrategy
{
    public static readonly SiloKeyedPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloKeyedPlacementAttribute() : PlacementAttribute(SiloKeyedPlacement.Instance);

/// <summary>
/// Answers the silo named by the key, or refuses with <see cref="SiloUnavailableException"/> when that silo is not
/// (or no longer) in the cluster: the grain never lands on another silo, and a call for a gone silo fails at once.
/// </summary>
public sealed class SiloKeyedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloAddress.FromParsableString(key);
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"Silo {key} is not active; {target.GrainIdentity} lives only there.");
    }
}

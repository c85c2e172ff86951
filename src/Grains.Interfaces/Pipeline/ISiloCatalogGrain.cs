using Coaching.Opportunities;

namespace Coaching.Pipeline;

/// <summary>
/// One per silo (key: the silo's address, <c>SiloAddress.ToParsableString()</c>; it is always activated on that
/// silo): receives each new catalog version for the silo's intake workers before an opportunity write answers.
/// </summary>
[Alias("coaching.ISiloCatalogGrain")]
public interface ISiloCatalogGrain : IGrainWithStringKey
{
    /// <summary>Makes <paramref name="snapshot"/> (or a newer one already held) the silo's catalog; returns once it is.</summary>
    [Alias("Apply")] Task Apply(OpportunityCatalogSnapshot snapshot);
}

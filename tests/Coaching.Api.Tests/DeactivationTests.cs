using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>
/// The embedded default keeps grain state in memory, serialized the way PostgreSQL keeps it: a grain that Orleans
/// deactivated (after its collection age, or to rebalance) reads back exactly what it had.
/// </summary>
public sealed class DeactivationTests
{
    [Fact]
    public async Task Every_grain_kind_reads_back_the_same_after_every_activation_was_collected_in_memory()
    {
        await using var api = new CoachingApi();
        await EveryGrainKind.ReadsBackUnchangedAfterDeactivation(api);
    }
}

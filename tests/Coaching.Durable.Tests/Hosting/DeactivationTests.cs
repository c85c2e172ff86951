using Coaching.Testing;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>The same as the in-memory test of the API suite, on PostgreSQL: both storages read back alike.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeactivationTests(PostgresServer postgres)
{
    [Fact]
    public async Task Every_grain_kind_reads_back_the_same_after_every_activation_was_collected_on_PostgreSQL()
    {
        await using var api = new CoachingApi(SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("deactivation"), "deactivation"));
        await EveryGrainKind.ReadsBackUnchangedAfterDeactivation(api);
    }
}

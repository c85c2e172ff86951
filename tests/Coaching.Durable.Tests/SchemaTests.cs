using System.Reflection;
using Coaching.Testing;
using Coaching.Silo.Schema;
using Npgsql;

namespace Coaching.Durable.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SchemaTests(PostgresServer postgres)
{
    private static readonly string[] ExpectedQueryKeys =
    [
        // clustering
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey",
        "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
        "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
        // reminders
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "ReadReminderRowKey", "ReadReminderRowsKey", "UpsertReminderRowKey",
    ];

    [Fact]
    public async Task Schema_applied_concurrently_and_again_holds_every_query_key()
    {
        var database = await postgres.CreateDatabaseAsync("schema");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSchema.ApplyAsync(database, null, CancellationToken.None))));
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);

        var keys = await QueryKeysAsync(database);
        Assert.Equal(ExpectedQueryKeys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Schema_has_every_key_the_installed_providers_require()
    {
        // The providers validate their key set by reflecting over DbStoredQueries' properties; ask them the same way,
        // so that a package upgrade that adds a key fails here rather than at silo start-up.
        var required = RequiredKeys(Assembly.Load("Orleans.Clustering.AdoNet"))
            .Concat(RequiredKeys(Assembly.Load("Orleans.Reminders.AdoNet")))
            .Distinct()
            .ToList();
        Assert.Contains("CleanupDefunctSiloEntriesKey", required);
        Assert.Contains("UpsertReminderRowKey", required);

        var database = await postgres.CreateDatabaseAsync("schema_required");
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);

        Assert.Empty(required.Except(await QueryKeysAsync(database)));
    }

    private static IEnumerable<string> RequiredKeys(Assembly provider) =>
        provider.GetTypes()
            .Where(t => t.Name == "DbStoredQueries")
            .SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic))
            .Select(p => p.Name);

    private static async Task<List<string>> QueryKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\"", connection);
        await using var reader = await read.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}

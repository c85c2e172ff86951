using Coaching.Silo.Schema;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Coaching.Durable.Tests;

/// <summary>Test databases: made with our schema, read directly to check what the service stored, and the storage
/// pieces a silo would build on them.</summary>
internal static class Database
{
    /// <summary>A new database of <paramref name="postgres"/> with the schema applied.</summary>
    public static async Task<string> CreateWithSchemaAsync(PostgresServer postgres, string name)
    {
        var database = await postgres.CreateDatabaseAsync(name);
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        return database;
    }

    /// <summary>A group-commit batcher on <paramref name="database"/>, as each silo has one.</summary>
    public static PostgresBatcher Batcher(string database) =>
        new(PostgresBatcher.CreateDataSource(database), NullLogger<PostgresBatcher>.Instance);

    /// <summary>The cluster options a store reads its service id from.</summary>
    public static IOptions<ClusterOptions> Service(string serviceId) => Options.Create(new ClusterOptions { ServiceId = serviceId });

    /// <summary>The single value <paramref name="sql"/> selects (a count is a long).</summary>
    public static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

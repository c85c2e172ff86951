using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Coaching.Silo.Schema;

/// <summary>
/// Applies the embedded Orleans schema (Sql/*.sql, in file-name order) to a PostgreSQL database.
/// The scripts are idempotent; they run in one transaction under an advisory lock so that silos
/// and clients starting at the same time apply them one after the other.
/// </summary>
public static class PostgresSchema
{
    private const string ScriptPrefix = "Coaching.Silo.Sql.";

    // "Coaching" in ASCII: a fixed key every process agrees on.
    private const long SchemaLockKey = 0x436F616368696E67;

    public static IReadOnlyList<string> ScriptNames { get; } = typeof(PostgresSchema).Assembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(ScriptPrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static async Task ApplyAsync(string connectionString, ILogger? logger, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (ScriptNames.Count == 0)
        {
            throw new InvalidOperationException("No embedded schema scripts were found in " + typeof(PostgresSchema).Assembly.GetName().Name + ".");
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            takeLock.Parameters.AddWithValue("key", SchemaLockKey);
            await takeLock.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        foreach (var scriptName in ScriptNames)
        {
            await using var apply = new NpgsqlCommand(ReadScript(scriptName), connection, transaction);
            await apply.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        logger?.LogInformation("Orleans schema applied to PostgreSQL database {Database} ({ScriptCount} scripts)", connection.Database, ScriptNames.Count);
    }

    private static string ReadScript(string resourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded schema script {resourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using Npgsql;

namespace Coaching.Durable.Tests;

/// <summary>Direct reads of a test database, to check what the service stored.</summary>
internal static class Database
{
    /// <summary>The single value <paramref name="sql"/> selects (a count is a long).</summary>
    public static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

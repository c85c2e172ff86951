using Npgsql;

namespace Coaching.Durable.Tests;

/// <summary>Rows as an earlier design left them in <c>orleans_grain_state</c>, for the tests of their move on upgrade.</summary>
internal static class EarlierGrainState
{
    /// <summary>Stores <paramref name="json"/> as the grain state serializer did: UTF-8 bytes under the grain's whole key.</summary>
    public static async Task InsertAsync(string database, string serviceId, string stateName, string grainKey, string json)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version) " +
            "VALUES ($1, $2, 0, 0, $3, convert_to($4, 'UTF8'), 1)", connection);
        insert.Parameters.AddWithValue(serviceId);
        insert.Parameters.AddWithValue(stateName);
        insert.Parameters.AddWithValue(grainKey);
        insert.Parameters.AddWithValue(json);
        await insert.ExecuteNonQueryAsync();
    }
}

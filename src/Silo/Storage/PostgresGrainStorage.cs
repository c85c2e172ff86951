using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Storage;

namespace Coaching.Silo.Storage;

/// <summary>
/// Grain state in <c>orleans_grain_state</c> (Sql/03-grain-state.sql), every read and write a statement of the shared
/// <see cref="PostgresBatcher"/>: concurrent grains' writes share round trips and commits.
/// </summary>
/// <remarks>
/// <para>The version column is the ETag: a write succeeds only from the version it read, so a stale or duplicate
/// activation gets an <see cref="InconsistentStateException"/> rather than overwriting newer state.</para>
/// <para>A grain's whole key is stored as text in <c>grain_id_extension</c> (n0 = n1 = 0). The Orleans ADO.NET provider
/// instead stores a key that parses as a GUID or as a hexadecimal number as that number, so "abc", "ABC" and "0abc"
/// would share one row.</para>
/// </remarks>
public sealed class PostgresGrainStorage(
    PostgresBatcher batcher,
    IGrainStorageSerializer serializer,
    IOptions<ClusterOptions> cluster) : IGrainStorage
{
    private const string ReadSql =
        "SELECT payload, version FROM orleans_grain_state " +
        "WHERE service_id = $1 AND state_name = $2 AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_id_extension = $3";

    private const string WriteSql = "SELECT orleans_grain_state_write($1, $2, 0, 0, $3, $4, $5)";

    private const string ClearSql = "SELECT orleans_grain_state_clear($1, $2, 0, 0, $3, $4)";

    private readonly string serviceId = cluster.Value.ServiceId;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString();
        var row = await batcher.Run(
            new PostgresBatcher.Statement(ReadSql, LockKey(stateName, key), serviceId, stateName, key),
            rows => rows.Count == 0 ? null : rows[0]);

        if (row is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var payload = row[0] as byte[];
        grainState.State = payload is null ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = Convert.ToInt32(row[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString();
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = await batcher.Run(
            new PostgresBatcher.Statement(WriteSql, LockKey(stateName, key), serviceId, stateName, key, Expected(grainState.ETag),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = payload }),
            NewVersion);
        grainState.ETag = Accept(version, stateName, grainId, grainState.ETag);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is null)
        {
            // Never written (or already cleared from nothing): there is no row to clear.
            grainState.State = Activator.CreateInstance<T>();
            grainState.RecordExists = false;
            return;
        }

        var key = grainId.Key.ToString();
        var version = await batcher.Run(
            new PostgresBatcher.Statement(ClearSql, LockKey(stateName, key), serviceId, stateName, key, Expected(grainState.ETag)),
            NewVersion);
        grainState.ETag = Accept(version, stateName, grainId, grainState.ETag);
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    private static string LockKey(string stateName, string key) => $"s\u0001{stateName}\u0001{key}";

    private static NpgsqlParameter Expected(string? etag) => new()
    {
        NpgsqlDbType = NpgsqlDbType.Integer,
        Value = etag is null ? DBNull.Value : int.Parse(etag, CultureInfo.InvariantCulture),
    };

    private static int? NewVersion(IReadOnlyList<object?[]> rows) =>
        rows.Count == 1 && rows[0][0] is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : null;

    private static string Accept(int? version, string stateName, GrainId grainId, string? expected) =>
        version?.ToString(CultureInfo.InvariantCulture)
        ?? throw new InconsistentStateException(
            $"State {stateName} of {grainId} was written by someone else since version {expected ?? "(none)"} was read.",
            "(unknown)", expected ?? "(none)");
}

using Coaching.Lists;
using Coaching.Sessions;
using Coaching.Sessions.Lists;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace Coaching.Silo.Storage;

/// <summary>
/// Session list rows in <c>coaching_session_rows</c> and <c>coaching_session_list_entries</c> (Sql/09-session-lists.sql):
/// a row per session, an entry per list and session; each read or write one statement of the shared
/// <see cref="PostgresBatcher"/>. A page is one indexed range read of at most the rows asked for, plus one to tell
/// whether more follow.
/// </summary>
public sealed class PostgresSessionRows(PostgresBatcher batcher, IOptions<ClusterOptions> cluster) : ISessionRows
{
    // The session's row is replaced only by a newer one; the list's entry by one of the same or a higher revision.
    private const string PutSql =
        "WITH stored_row AS (" +
        " INSERT INTO coaching_session_rows AS stored (service_id, session_id, revision, closed_at, row) VALUES ($1, $3, $4, $6, $7)" +
        " ON CONFLICT (service_id, session_id) DO UPDATE" +
        " SET revision = excluded.revision, closed_at = excluded.closed_at, row = excluded.row, modified_at = now()" +
        " WHERE stored.revision < excluded.revision) " +
        "INSERT INTO coaching_session_list_entries AS entry (service_id, list_key, session_id, revision, created_ticks, listed) " +
        "VALUES ($1, $2, $3, $4, $5, true) " +
        "ON CONFLICT (service_id, list_key, session_id) DO UPDATE " +
        "SET revision = excluded.revision, created_ticks = excluded.created_ticks, listed = true, modified_at = now() " +
        "WHERE entry.revision <= excluded.revision RETURNING true";

    private const string RemoveSql =
        "INSERT INTO coaching_session_list_entries AS entry (service_id, list_key, session_id, revision, created_ticks, listed) " +
        "VALUES ($1, $2, $3, $4, 0, false) " +
        "ON CONFLICT (service_id, list_key, session_id) DO UPDATE " +
        "SET revision = excluded.revision, listed = false, modified_at = now() " +
        "WHERE entry.revision <= excluded.revision RETURNING true";

    private const string PageSql =
        "SELECT r.row FROM coaching_session_list_entries e " +
        "JOIN coaching_session_rows r ON r.service_id = e.service_id AND r.session_id = e.session_id " +
        "WHERE e.service_id = $1 AND e.list_key = $2 AND e.listed AND (e.created_ticks, e.session_id) < ($3, $4) " +
        "ORDER BY e.created_ticks DESC, e.session_id DESC LIMIT $5";

    private const string ForgetSql =
        "DELETE FROM coaching_session_list_entries e USING coaching_session_rows r " +
        "WHERE e.service_id = $1 AND e.list_key = $2 AND r.service_id = e.service_id AND r.session_id = e.session_id " +
        "AND r.closed_at < $3 RETURNING true";

    private readonly string serviceId = cluster.Value.ServiceId;

    public Task Put(string listKey, SessionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return batcher.Run(
            new PostgresBatcher.Statement(PutSql, LockKey(row.Id, listKey), serviceId, listKey, row.Id, row.Revision, row.CreatedAt.UtcTicks,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = row.ClosedAt is { } closed ? closed.ToUniversalTime() : DBNull.Value },
                StoredJson.Write(row)),
            _ => true);
    }

    public Task Remove(string listKey, string sessionId, int revision) =>
        batcher.Run(new PostgresBatcher.Statement(RemoveSql, LockKey(sessionId, listKey), serviceId, listKey, sessionId, revision), _ => true);

    public Task<SessionRowChunk> Page(string listKey, ListCursor? after, int count)
    {
        // Without a cursor: everything sorts before (long.MaxValue, ""), as no session is created at the end of time.
        var (ticks, id) = after is { } cursor ? (cursor.CreatedTicks, cursor.Id) : (long.MaxValue, string.Empty);
        return batcher.Run(
            new PostgresBatcher.Statement(PageSql, $"l\u0001{listKey}", serviceId, listKey, ticks, id, count + 1),
            rows => new SessionRowChunk([.. rows.Take(count).Select(r => StoredJson.Read<SessionRow>((string)r[0]!))], rows.Count > count));
    }

    public Task<int> Forget(string listKey, DateTimeOffset closedBefore) =>
        batcher.Run(
            new PostgresBatcher.Statement(ForgetSql, $"l\u0001{listKey}", serviceId, listKey,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = closedBefore.ToUniversalTime() }),
            rows => rows.Count);

    // Statements of one session sort together, its row before its entries, so two batches lock in the same order.
    private static string LockKey(string sessionId, string listKey) => $"s\u0001{sessionId}\u0001{listKey}";
}

using System.Globalization;
using Coaching.Inbox;
using Coaching.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace Coaching.Silo.Storage;

/// <summary>
/// Notifications in <c>coaching_notifications</c> (Sql/07-notifications.sql), one row per notification, each read or
/// write a statement of the shared <see cref="PostgresBatcher"/>. The primary key and the unique delivery key decide
/// whether an insert is new.
/// </summary>
public sealed class PostgresNotificationStore(PostgresBatcher batcher, IOptions<ClusterOptions> cluster) : INotificationStore
{
    private const string Columns = "id, delivery_key, created_at, read, body";

    private const string LoadSql =
        "SELECT " + Columns + " FROM coaching_notifications WHERE service_id = $1 AND recipient = $2 ORDER BY id DESC LIMIT $3";

    private const string AddSql =
        "INSERT INTO coaching_notifications (service_id, recipient, id, delivery_key, created_at, read, body) " +
        "VALUES ($1, $2, $3, $4, $5, false, $6) ON CONFLICT DO NOTHING RETURNING true";

    private const string FindSql =
        "SELECT " + Columns + " FROM coaching_notifications WHERE service_id = $1 AND recipient = $2 AND delivery_key = $3";

    private const string MarkReadSql =
        "UPDATE coaching_notifications SET read = true WHERE service_id = $1 AND recipient = $2 AND id = $3 RETURNING true";

    private const string TrimSql =
        "WITH gone AS (DELETE FROM coaching_notifications WHERE service_id = $1 AND recipient = $2 AND (id < $3 OR created_at < $4) RETURNING 1) " +
        "SELECT count(*) FROM gone";

    private readonly string serviceId = cluster.Value.ServiceId;

    public Task<IReadOnlyList<StoredNotification>> Load(string recipient, int count) =>
        batcher.Run(
            new PostgresBatcher.Statement(LoadSql, $"n\u0001{recipient}", serviceId, recipient, count),
            rows => (IReadOnlyList<StoredNotification>)[.. rows.Select(Read)]);

    public async Task<NotificationAdded> Add(string recipient, string deliveryKey, NotificationView notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = StoredJson.Write(new Body(notification.Type, notification.Text, notification.Subject));
        var added = await batcher.Run(
            new PostgresBatcher.Statement(AddSql, LockKey(recipient, notification.Id), serviceId, recipient, notification.Id, deliveryKey,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = notification.CreatedAt.ToUniversalTime() },
                body),
            rows => rows.Count == 1);
        if (added)
        {
            return new NotificationAdded(true, null);
        }

        // The key or the id is taken. A new statement sees the row even when another transaction committed it while
        // the insert waited on it.
        var earlier = await batcher.Run(
            new PostgresBatcher.Statement(FindSql, LockKey(recipient, notification.Id), serviceId, recipient, deliveryKey),
            rows => rows.Count == 1 ? Read(rows[0]).Notification : null);
        return new NotificationAdded(false, earlier);
    }

    public Task<bool> MarkRead(string recipient, string notificationId) =>
        batcher.Run(
            new PostgresBatcher.Statement(MarkReadSql, LockKey(recipient, notificationId), serviceId, recipient, notificationId),
            rows => rows.Count == 1);

    public Task Trim(string recipient, string? oldestKeptId, DateTimeOffset createdBefore) =>
        batcher.Run(
            new PostgresBatcher.Statement(TrimSql, $"n\u0001{recipient}", serviceId, recipient, oldestKeptId ?? string.Empty,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = createdBefore.ToUniversalTime() }),
            rows => Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture));

    private static string LockKey(string recipient, string id) => $"n\u0001{recipient}\u0001{id}";

    private static StoredNotification Read(object?[] row)
    {
        var body = StoredJson.Read<Body>((string)row[4]!);
        return new StoredNotification(
            (string)row[1]!,
            new NotificationView((string)row[0]!, body.Type, body.Text, body.Subject, new DateTimeOffset((DateTime)row[2]!, TimeSpan.Zero), (bool)row[3]!));
    }

    /// <summary>What a row's body holds (rows moved from grain state hold the whole notification; the rest is ignored).</summary>
    private sealed record Body(NotificationType Type, string Text, NotificationSubject Subject);
}

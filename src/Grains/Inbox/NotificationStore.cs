using System.Collections.Concurrent;

namespace Coaching.Inbox;

/// <summary>
/// The stored notifications of every inbox, one entry per notification, so that a delivery writes that notification
/// alone whatever the size of the inbox. An inbox grain reads its newest notifications once per activation and then
/// writes only what changes.
/// </summary>
/// <remarks>
/// Within one recipient an id and a delivery key are each stored at most once. The id is the grain's next sequence
/// number: a duplicate activation of the same inbox working from the same last number is told that the id is taken
/// (<see cref="NotificationAdded"/> with neither flag), so it cannot overwrite the other's notification.
/// </remarks>
public interface INotificationStore
{
    /// <summary>The newest <paramref name="count"/> notifications of the recipient, newest first, with their keys.</summary>
    Task<IReadOnlyList<StoredNotification>> Load(string recipient, int count);

    /// <summary>
    /// Stores <paramref name="notification"/> under <paramref name="deliveryKey"/> unless the recipient already has
    /// that key (the answer then carries what was stored for it) or that id. Durable when the task completes.
    /// </summary>
    Task<NotificationAdded> Add(string recipient, string deliveryKey, NotificationView notification);

    /// <summary>Marks one notification read; false when the recipient has no such notification stored.</summary>
    Task<bool> MarkRead(string recipient, string notificationId);

    /// <summary>
    /// Deletes the recipient's notifications whose id sorts before <paramref name="oldestKeptId"/> (when given) or
    /// that were created before <paramref name="createdBefore"/>. Their delivery keys go with them.
    /// </summary>
    Task Trim(string recipient, string? oldestKeptId, DateTimeOffset createdBefore);
}

/// <summary>A stored notification and the delivery key it was stored under.</summary>
public sealed record StoredNotification(string DeliveryKey, NotificationView Notification);

/// <summary>
/// What <see cref="INotificationStore.Add"/> did: <paramref name="Added"/>, or the notification stored earlier under
/// the same key (<paramref name="Earlier"/>); neither means another notification holds the id.
/// </summary>
public sealed record NotificationAdded(bool Added, NotificationView? Earlier);

/// <summary>In-memory notifications, for the single in-memory silo (embedded mode, tests): gone with the process.</summary>
public sealed class InMemoryNotificationStore : INotificationStore
{
    private readonly ConcurrentDictionary<string, Inbox> inboxes = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<StoredNotification>> Load(string recipient, int count)
    {
        IReadOnlyList<StoredNotification> newest = [];
        if (inboxes.TryGetValue(recipient, out var inbox))
        {
            lock (inbox)
            {
                newest = [.. inbox.ById.Values.Reverse().Take(count)];
            }
        }

        return Task.FromResult(newest);
    }

    public Task<NotificationAdded> Add(string recipient, string deliveryKey, NotificationView notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var inbox = inboxes.GetOrAdd(recipient, _ => new Inbox());
        lock (inbox)
        {
            if (inbox.ByKey.TryGetValue(deliveryKey, out var earlier))
            {
                return Task.FromResult(new NotificationAdded(false, inbox.ById[earlier].Notification));
            }

            if (!inbox.ById.TryAdd(notification.Id, new StoredNotification(deliveryKey, notification)))
            {
                return Task.FromResult(new NotificationAdded(false, null));
            }

            inbox.ByKey[deliveryKey] = notification.Id;
            return Task.FromResult(new NotificationAdded(true, null));
        }
    }

    public Task<bool> MarkRead(string recipient, string notificationId)
    {
        if (!inboxes.TryGetValue(recipient, out var inbox))
        {
            return Task.FromResult(false);
        }

        lock (inbox)
        {
            if (!inbox.ById.TryGetValue(notificationId, out var stored))
            {
                return Task.FromResult(false);
            }

            inbox.ById[notificationId] = stored with { Notification = stored.Notification with { Read = true } };
            return Task.FromResult(true);
        }
    }

    public Task Trim(string recipient, string? oldestKeptId, DateTimeOffset createdBefore)
    {
        if (!inboxes.TryGetValue(recipient, out var inbox))
        {
            return Task.CompletedTask;
        }

        lock (inbox)
        {
            // Oldest first, so the ones to delete are a prefix of the list.
            while (inbox.ById.Count > 0
                && inbox.ById.Values[0] is var oldest
                && ((oldestKeptId is not null && string.CompareOrdinal(oldest.Notification.Id, oldestKeptId) < 0) || oldest.Notification.CreatedAt < createdBefore))
            {
                inbox.ByKey.Remove(oldest.DeliveryKey);
                inbox.ById.RemoveAt(0);
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Inbox
    {
        /// <summary>Oldest first (ids are fixed-width numbers, so ordinal order is their order).</summary>
        public SortedList<string, StoredNotification> ById { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> ByKey { get; } = new(StringComparer.Ordinal);
    }
}

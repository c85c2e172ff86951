using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Coaching.Inbox;

/// <summary>
/// One user's inbox: the newest notifications (<see cref="NotificationRetention"/>: so many, so old at most) in
/// memory, each stored on its own in <see cref="INotificationStore"/>, so a delivery writes one notification whatever
/// the size of the inbox. What falls out of the retention is deleted from the store too, a few at a time.
/// </summary>
/// <remarks>
/// The notifications are read on the first call of an activation, inside that call: a failed read or write fails the
/// call, and the ReloadAfterFailure filter drops the activation, so the next call reads again. Ids are a per-inbox
/// sequence (fixed-width digits, so newest first is descending ordinal order); the next one follows the newest stored.
/// </remarks>
public sealed class NotificationInboxGrain : Grain, INotificationInboxGrain
{
    private const int MaxPage = 200;

    private readonly INotificationStore store;
    private readonly TimeProvider clock;
    private readonly NotificationRetention retention;
    private readonly ObserverManager<INotificationObserver> listeners;

    /// <summary>Oldest first, at most <see cref="NotificationRetention.KeepPerUser"/>.</summary>
    private readonly List<StoredNotification> items = [];

    /// <summary>The delivery keys of <see cref="items"/> (older keys are still refused by the store).</summary>
    private readonly HashSet<string> deliveredKeys = new(StringComparer.Ordinal);

    private long lastSequence;
    private bool loaded;

    /// <summary>Notifications dropped from <see cref="items"/> that may still be in the store.</summary>
    private int untrimmed;

    public NotificationInboxGrain(INotificationStore store, TimeProvider clock, NotificationRetention retention, ILogger<NotificationInboxGrain> logger)
    {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        listeners = new ObserverManager<INotificationObserver>(INotificationInboxGrain.SubscriptionLifetime, logger);
    }

    private string Recipient => this.GetPrimaryKeyString();

    public async Task Deliver(NotificationDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await Load();
        for (var attempt = 0; ; attempt++)
        {
            if (deliveredKeys.Contains(draft.DeliveryKey))
            {
                return;
            }

            var id = (lastSequence + 1).ToString("D10", CultureInfo.InvariantCulture);
            var notification = new NotificationView(id, draft.Type, draft.Text, draft.Subject, Now(), Read: false);
            var outcome = await store.Add(Recipient, draft.DeliveryKey, notification);
            if (outcome.Added)
            {
                lastSequence++;
                Keep(new StoredNotification(draft.DeliveryKey, notification));
                await TrimIfDue();
                await listeners.Notify(l => l.Notify(notification));
                return;
            }

            if (outcome.Earlier is { } earlier)
            {
                // Delivered before: by this inbox long ago (older than what it keeps), or by another activation of it
                // just now, which this one should show too.
                if (Sequence(earlier.Id) > lastSequence)
                {
                    await Reload();
                }

                return;
            }

            // Another activation of this inbox took the id: read what it stored and take the next one, once.
            if (attempt > 0)
            {
                throw new InvalidOperationException($"Inbox {Recipient}: notification id {id} is taken after reading the inbox again.");
            }

            await Reload();
        }
    }

    public async Task<NotificationPage> List(bool unreadOnly, int limit, string? cursor)
    {
        await Load();
        DropExpired();
        limit = Math.Clamp(limit, 1, MaxPage);
        // Newest first; the cursor is the id of the last item of the previous page.
        var page = items.AsEnumerable().Reverse()
            .Select(s => s.Notification)
            .Where(n => !unreadOnly || !n.Read)
            .Where(n => cursor is null || string.CompareOrdinal(n.Id, cursor) < 0)
            .Take(limit + 1)
            .ToList();
        var next = page.Count > limit ? page[limit - 1].Id : null;
        return new NotificationPage([.. page.Take(limit)], next);
    }

    public async Task<bool> MarkRead(string notificationId)
    {
        await Load();
        var index = items.FindIndex(s => s.Notification.Id == notificationId);
        if (index < 0)
        {
            return false;
        }

        var stored = items[index];
        if (!stored.Notification.Read)
        {
            await store.MarkRead(Recipient, notificationId);
            items[index] = stored with { Notification = stored.Notification with { Read = true } };
        }

        return true;
    }

    public Task Subscribe(INotificationObserver observer)
    {
        listeners.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(INotificationObserver observer)
    {
        listeners.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>The time in whole microseconds, as PostgreSQL keeps it: an inbox read again shows the same times.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }

    private static long Sequence(string id) => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);

    private async Task Load()
    {
        if (!loaded)
        {
            await Reload();
        }
    }

    private async Task Reload()
    {
        var newest = await store.Load(Recipient, retention.KeepPerUser);
        items.Clear();
        deliveredKeys.Clear();
        lastSequence = 0;
        foreach (var stored in newest.Reverse())
        {
            Keep(stored);
        }

        // The store may hold more than this inbox keeps (written before a smaller setting, or by an activation that
        // stopped before it trimmed): delete it once per read.
        await store.Trim(Recipient, items.Count >= retention.KeepPerUser ? items[0].Notification.Id : null, Cutoff());
        DropExpired();
        untrimmed = 0;
        loaded = true;
    }

    private DateTimeOffset Cutoff() => clock.GetUtcNow() - retention.KeepFor;

    /// <summary>Drops the notifications older than the retention allows (the oldest are first).</summary>
    private void DropExpired()
    {
        var cutoff = Cutoff();
        while (items.Count > 0 && items[0].Notification.CreatedAt < cutoff)
        {
            Drop();
        }
    }

    /// <summary>Deletes from the store what this inbox no longer keeps, once enough of it has gathered.</summary>
    private async Task TrimIfDue()
    {
        DropExpired();
        if (untrimmed >= retention.TrimEvery && items.Count > 0)
        {
            await store.Trim(Recipient, items[0].Notification.Id, Cutoff());
            untrimmed = 0;
        }
    }

    private void Drop()
    {
        deliveredKeys.Remove(items[0].DeliveryKey);
        items.RemoveAt(0);
        untrimmed++;
    }

    /// <summary>Adds a stored notification as the newest, dropping the oldest beyond the number kept.</summary>
    private void Keep(StoredNotification stored)
    {
        items.Add(stored);
        deliveredKeys.Add(stored.DeliveryKey);
        lastSequence = Math.Max(lastSequence, Sequence(stored.Notification.Id));
        if (items.Count > retention.KeepPerUser)
        {
            Drop();
        }
    }
}

using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Coaching.Inbox;

[GenerateSerializer, Alias("coaching.inbox-state")]
public sealed class InboxState
{
    [Id(0)] public long LastSequence { get; set; }

    /// <summary>Oldest first; trimmed to <see cref="NotificationInboxGrain.Capacity"/>.</summary>
    [Id(1)] public List<NotificationView> Items { get; set; } = [];

    /// <summary>Delivery keys already taken, for idempotent delivery (trimmed with the items).</summary>
    [Id(2)] public Dictionary<string, string> DeliveredKeys { get; set; } = new(StringComparer.Ordinal);
}

public sealed class NotificationInboxGrain : Grain, INotificationInboxGrain
{
    public const int Capacity = 1000;
    private const int MaxPage = 200;

    private readonly IPersistentState<InboxState> inbox;
    private readonly TimeProvider clock;
    private readonly ObserverManager<INotificationObserver> listeners;

    public NotificationInboxGrain(
        [PersistentState("inbox", StorageNames.Coaching)] IPersistentState<InboxState> inbox,
        TimeProvider clock,
        ILogger<NotificationInboxGrain> logger)
    {
        this.inbox = inbox;
        this.clock = clock;
        listeners = new ObserverManager<INotificationObserver>(INotificationInboxGrain.SubscriptionLifetime, logger);
    }

    public async Task Deliver(NotificationDraft draft)
    {
        var s = inbox.State;
        if (s.DeliveredKeys.ContainsKey(draft.DeliveryKey))
        {
            return;
        }

        var id = (++s.LastSequence).ToString("D10", CultureInfo.InvariantCulture);
        var notification = new NotificationView(id, draft.Type, draft.Text, draft.Subject, clock.GetUtcNow(), Read: false);
        s.Items.Add(notification);
        s.DeliveredKeys[draft.DeliveryKey] = id;
        if (s.Items.Count > Capacity)
        {
            var dropped = s.Items[0].Id;
            s.Items.RemoveAt(0);
            foreach (var key in s.DeliveredKeys.Where(k => string.CompareOrdinal(k.Value, dropped) <= 0).Select(k => k.Key).ToList())
            {
                s.DeliveredKeys.Remove(key);
            }
        }

        await inbox.WriteStateAsync();
        await listeners.Notify(l => l.Notify(notification));
    }

    public Task<NotificationPage> List(bool unreadOnly, int limit, string? cursor)
    {
        limit = Math.Clamp(limit, 1, MaxPage);
        // Newest first; the cursor is the id of the last item of the previous page.
        var items = inbox.State.Items.AsEnumerable().Reverse()
            .Where(n => !unreadOnly || !n.Read)
            .Where(n => cursor is null || string.CompareOrdinal(n.Id, cursor) < 0)
            .Take(limit + 1)
            .ToList();
        var next = items.Count > limit ? items[limit - 1].Id : null;
        return Task.FromResult(new NotificationPage([.. items.Take(limit)], next));
    }

    public async Task<bool> MarkRead(string notificationId)
    {
        var index = inbox.State.Items.FindIndex(n => n.Id == notificationId);
        if (index < 0)
        {
            return false;
        }

        if (!inbox.State.Items[index].Read)
        {
            inbox.State.Items[index] = inbox.State.Items[index] with { Read = true };
            await inbox.WriteStateAsync();
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
}

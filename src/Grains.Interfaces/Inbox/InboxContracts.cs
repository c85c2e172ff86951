using System.Collections.Immutable;
using Coaching.Notifications;

namespace Coaching.Inbox;

/// <summary>
/// What a grain asks to deliver to one user. <paramref name="DeliveryKey"/> makes delivery idempotent: a grain
/// that retries after an unknown outcome uses the same key and the user still gets one notification.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.notification-draft")]
public sealed record NotificationDraft(
    [property: Id(0)] string DeliveryKey,
    [property: Id(1)] NotificationType Type,
    [property: Id(2)] string Text,
    [property: Id(3)] NotificationSubject Subject);

/// <summary>One notification in one user's inbox, as <c>GET /v1/me/notifications</c> lists it.</summary>
[GenerateSerializer, Immutable, Alias("coaching.notification")]
public sealed record NotificationView(
    [property: Id(0)] string Id,
    [property: Id(1)] NotificationType Type,
    [property: Id(2)] string Text,
    [property: Id(3)] NotificationSubject Subject,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] bool Read);

[GenerateSerializer, Immutable, Alias("coaching.notification-page")]
public sealed record NotificationPage(
    [property: Id(0)] ImmutableArray<NotificationView> Items,
    [property: Id(1)] string? NextCursor);

/// <summary>Receives a user's notifications as they arrive (the live stream).</summary>
[Alias("coaching.INotificationObserver")]
public interface INotificationObserver : IGrainObserver
{
    [Alias("Notify"), Orleans.Concurrency.OneWay] Task Notify(NotificationView notification);
}

/// <summary>A user's inbox, keyed by user id.</summary>
[Alias("coaching.INotificationInboxGrain")]
public interface INotificationInboxGrain : IGrainWithStringKey
{
    [Alias("Deliver")] Task Deliver(NotificationDraft draft);

    [Alias("List")] Task<NotificationPage> List(bool unreadOnly, int limit, string? cursor);

    /// <summary>False when the inbox has no such notification.</summary>
    [Alias("MarkRead")] Task<bool> MarkRead(string notificationId);

    /// <summary>Subscribes (or renews) a live listener; renew well within <see cref="SubscriptionLifetime"/>.</summary>
    [Alias("Subscribe")] Task Subscribe(INotificationObserver observer);

    [Alias("Unsubscribe")] Task Unsubscribe(INotificationObserver observer);

    static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);
}

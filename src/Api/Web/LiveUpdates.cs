using Coaching.Api.Http;
using Coaching.Inbox;

namespace Coaching.Api.Web;

/// <summary>The <c>Coaching:Console</c> live settings.</summary>
public sealed class LiveOptions
{
    public const string Section = "Coaching:Console:Live";

    /// <summary>How often an open page reads again what it shows. Two seconds is the promise; this leaves room.</summary>
    public ConfiguredDuration Refresh { get; set; } = ConfiguredDuration.FromSeconds(1);
}

/// <summary>
/// Keeps one console circuit's pages live. Each page that lists what a grain owns subscribes to <see cref="Changed"/>
/// and reads again when it fires: at once when a notification reaches the user's inbox (a listener on the inbox grain,
/// as the API's notification stream has), and otherwise every <see cref="LiveOptions.Refresh"/>, which covers changes
/// nobody is notified of (another coach claiming from a shared queue, a count moving). One per circuit.
/// </summary>
/// <remarks>
/// The inbox listener takes one of the user's live-stream places (<see cref="LiveStreams"/>, shared with the API's
/// notification streams), so a user opening tab after tab cannot make the process hold listeners without a bound;
/// a tab that finds them all taken stays live on the timer alone.
/// </remarks>
public sealed class LiveUpdates(IGrainFactory grains, LiveStreams streams, Microsoft.Extensions.Options.IOptions<LiveOptions> options, ILogger<LiveUpdates> logger)
    : IAsyncDisposable, INotificationObserver
{
    private readonly CancellationTokenSource stop = new();
    private System.Threading.RateLimiting.RateLimitLease? place;
    private InboxSubscription? subscription;
    private Task? ticking;

    /// <summary>Something the user sees may have changed.</summary>
    public event Func<Task>? Changed;

    /// <summary>A notification arrived for the user.</summary>
    public event Func<NotificationView, Task>? Notified;

    public bool Started => ticking is not null;

    /// <summary>Starts once per circuit, for its signed-in user.</summary>
    public async Task Start(string userId)
    {
        if (ticking is not null)
        {
            return;
        }

        ticking = Tick(stop.Token);
        place = streams.TryOpen(userId);
        if (!place.IsAcquired)
        {
            return;
        }

        try
        {
            subscription = await InboxSubscription.Open(grains, userId, this, logger);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // Pages still refresh on the timer; the next circuit subscribes again.
            logger.LogWarning(e, "Could not listen to a console user's inbox; the page refreshes on its timer only");
        }
    }

    public Task Notify(NotificationView notification)
    {
        _ = Raise(notification);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (ticking is not null)
        {
            await ticking;
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }

        place?.Dispose();
        stop.Dispose();
    }

    private async Task Raise(NotificationView? notification)
    {
        try
        {
            if (notification is not null && Notified is { } notified)
            {
                await notified(notification);
            }

            if (Changed is { } changed)
            {
                foreach (var handler in changed.GetInvocationList().Cast<Func<Task>>())
                {
                    await handler();
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "A console page failed to refresh");
        }
    }

    private async Task Tick(CancellationToken token)
    {
        using var timer = new PeriodicTimer(options.Value.Refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                await Raise(null);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

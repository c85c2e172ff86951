using Coaching.Inbox;

namespace Coaching.Api.Http;

/// <summary>
/// A live listener on one user's inbox, held by this process: subscribed when opened, renewed well within the
/// inbox's subscription lifetime (the inbox forgets listeners that stop renewing, so a process that dies leaves
/// nothing behind), unsubscribed when disposed. The notification stream and the console's live pages use it.
/// </summary>
public sealed class InboxSubscription : IAsyncDisposable
{
    private readonly IGrainFactory grains;
    private readonly INotificationInboxGrain inbox;
    private readonly INotificationObserver reference;
    private readonly CancellationTokenSource renewal = new();
    private readonly Task renewing;

    private InboxSubscription(IGrainFactory grains, INotificationInboxGrain inbox, INotificationObserver reference, ILogger logger)
    {
        this.grains = grains;
        this.inbox = inbox;
        this.reference = reference;
        renewing = Renew(logger, renewal.Token);
    }

    /// <summary>Subscribes <paramref name="listener"/>; throws when the cluster cannot be reached, so the caller can answer 503.</summary>
    public static async Task<InboxSubscription> Open(IGrainFactory grains, string userId, INotificationObserver listener, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var inbox = grains.GetGrain<INotificationInboxGrain>(userId);
        var reference = grains.CreateObjectReference<INotificationObserver>(listener);
        try
        {
            await inbox.Subscribe(reference);
        }
        catch
        {
            grains.DeleteObjectReference<INotificationObserver>(reference);
            throw;
        }

        return new InboxSubscription(grains, inbox, reference, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await renewal.CancelAsync();
        await renewing;
        renewal.Dispose();
        try
        {
            await inbox.Unsubscribe(reference);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The subscription lapses by itself; nothing is lost by leaving it.
        }

        grains.DeleteObjectReference<INotificationObserver>(reference);
    }

    private async Task Renew(ILogger logger, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(INotificationInboxGrain.SubscriptionLifetime / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await inbox.Subscribe(reference);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    logger.LogWarning(e, "Renewing a live inbox listener failed; retrying at the next tick");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

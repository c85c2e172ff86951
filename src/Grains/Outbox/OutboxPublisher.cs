using Coaching.Inbox;
using Microsoft.Extensions.Logging;

namespace Coaching.Outbox;

/// <summary>
/// The grain side of the outbox (<see cref="OutboxRules"/>), one per activation of a grain with side effects. The
/// grain stores a transition with its effects, then calls <see cref="Publish"/>; on activation it calls it too, for
/// what a crash left pending. Publishing never throws into the caller: what a downstream grain refuses stays in the
/// outbox, a grain timer tries it again every <see cref="RetryEvery"/>, and a reminder (<see cref="ReminderName"/>)
/// wakes the grain to finish should the activation go first. Once all is out, that is stored and the reminder goes.
/// </summary>
/// <remarks>
/// <paramref name="pending"/> tells whether the grain's outbox holds anything (read only, so an activation with nothing
/// pending neither publishes nor writes). <paramref name="publish"/> acts on the grain's outbox: it tries every pending effect, keeps in the grain's state
/// only those refused, and answers whether none is left. What it clears is stored with the grain's next write, when
/// done on a retry, or on deactivation; a crash before that publishes it once more, which the delivery keys make
/// harmless. The grain's own calls and the retry timer do not interleave (timers are not reentrant).
/// </remarks>
public sealed partial class OutboxPublisher(
    Grain grain,
    IGrainFactory grains,
    Func<bool> pending,
    Func<Task<bool>> publish,
    Func<CancellationToken, Task> save,
    TimeSpan reminderPeriod,
    ILogger logger)
{
    /// <summary>The name of the reminder that rings while effects are left unpublished.</summary>
    public const string ReminderName = "outbox";

    /// <summary>How soon an activation tries again to publish what a downstream grain refused.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private IGrainTimer? retry;
    private bool reminderSet;
    private bool unsaved;

    private string GrainId => grain.GetGrainId().ToString();

    /// <summary>Whether the outbox holds changes not stored yet.</summary>
    public bool HasUnsavedChanges => unsaved;

    /// <summary>Publishes what is pending. Never throws: true when nothing is left; otherwise a retry is armed.</summary>
    public async Task<bool> Publish()
    {
        if (!pending())
        {
            retry?.Dispose();
            retry = null;
            return true;
        }

        bool done;
        try
        {
            done = await publish();
        }
        catch (Exception e)
        {
            LogPublishFailed(e, GrainId);
            done = false;
        }

        unsaved = true;
        if (done)
        {
            retry?.Dispose();
            retry = null;
            return true;
        }

        retry ??= grain.RegisterGrainTimer(Retry, new GrainTimerCreationOptions(RetryEvery, RetryEvery));
        if (!reminderSet)
        {
            try
            {
                await grain.RegisterOrUpdateReminder(ReminderName, reminderPeriod, reminderPeriod);
                reminderSet = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReminderFailed(e, GrainId);
            }
        }

        return false;
    }

    /// <summary>The grain has just stored its state, outbox included.</summary>
    public void Saved() => unsaved = false;

    /// <summary>Handles the outbox reminder's tick; false for any other reminder, which the grain handles itself.</summary>
    public async Task<bool> ReceiveReminder(string reminderName)
    {
        if (reminderName != ReminderName)
        {
            return false;
        }

        await Retry(CancellationToken.None);
        return true;
    }

    /// <summary>Stores what publishing cleared, so the next activation does not publish it again. Never throws.</summary>
    public async Task OnDeactivate(CancellationToken cancellationToken)
    {
        if (!unsaved)
        {
            return;
        }

        try
        {
            await save(cancellationToken);
            unsaved = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotSaved(e, GrainId);
        }
    }

    /// <summary>Delivers the notices (each keyed, so a repeat is harmless); answers those not delivered. Never throws.</summary>
    public async Task<List<PendingNotice>> Notify(IReadOnlyCollection<PendingNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var delivered = await Task.WhenAll(notices.Select(async notice =>
        {
            try
            {
                await grains.GetGrain<INotificationInboxGrain>(notice.Recipient).Deliver(notice.Draft);
                return OutboxRules.KeyOf(notice);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotifyFailed(e, GrainId, notice.Recipient);
                return null;
            }
        }));
        return OutboxRules.Left(notices, delivered.OfType<string>(), OutboxRules.KeyOf);
    }

    /// <summary>
    /// Puts the row into the placement's lists and takes it off the others (both idempotent by the row's revision);
    /// answers what is left. Never throws.
    /// </summary>
    public async Task<Placement> Place(Placement placement, Func<string, Task> put, Func<string, Task> remove)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(put);
        ArgumentNullException.ThrowIfNull(remove);
        var outcomes = await Task.WhenAll(
            placement.Into.Select(list => Attempt(list, put)).Concat(placement.Off.Select(list => Attempt(list, remove))));
        return OutboxRules.Left(placement, outcomes.OfType<string>());

        async Task<string?> Attempt(string list, Func<string, Task> write)
        {
            try
            {
                await write(list);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogListFailed(e, GrainId, list);
                return list;
            }
        }
    }

    /// <summary>The retry timer's and the outbox reminder's work: publish; once done, store that and stop.</summary>
    private async Task Retry(CancellationToken cancellationToken)
    {
        if (!await Publish())
        {
            return;
        }

        try
        {
            if (unsaved)
            {
                await save(cancellationToken);
                unsaved = false;
            }

            if (await grain.GetReminder(ReminderName) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }

            reminderSet = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reminder (still set) or the next activation finishes it.
            LogNotSaved(e, GrainId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: publishing its outbox failed; it is tried again")]
    private partial void LogPublishFailed(Exception e, string grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: notifying {UserId} failed; the outbox keeps the notice")]
    private partial void LogNotifyFailed(Exception e, string grainId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: updating list {ListKey} failed; lists may lag until the outbox is published")]
    private partial void LogListFailed(Exception e, string grainId, string listKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: registering the outbox reminder failed; its unpublished effects wait for the retry timer or its next activation")]
    private partial void LogReminderFailed(Exception e, string grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: saving its outbox failed; its last effects may be published again")]
    private partial void LogNotSaved(Exception e, string grainId);
}

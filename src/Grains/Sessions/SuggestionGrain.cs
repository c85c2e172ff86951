using Coaching.Directory;
using Coaching.Inbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Coaching.Telemetry;

namespace Coaching.Sessions;

[GenerateSerializer, Alias("coaching.suggestion-state")]
public sealed class SuggestionState
{
    [Id(0)] public SuggestedSession? Session { get; set; }

    /// <summary>Notifications decided but not yet confirmed delivered (an outbox written with the state).</summary>
    [Id(1)] public List<PendingNotice> Outbox { get; set; } = [];

    /// <summary>Session list keys (<see cref="SessionLists"/>) this session is confirmed to be on.</summary>
    [Id(2)] public List<string> IndexedUnder { get; set; } = [];

    /// <summary>The revision (history count) of the row those lists are confirmed to show; 0 before the first push.</summary>
    [Id(3)] public int ListedRevision { get; set; }
}

/// <summary>
/// One suggested session. Thin: the rules are <see cref="SessionLifecycle"/>; this grain builds the
/// directory snapshot they need, keeps the state, and afterwards carries out the decision's effects.
/// <para>Effects are at-least-once and idempotent: the new state is written together with an outbox of
/// notifications (delivery key <c>{session}:{transition}:{type}:{recipient}</c>) before anything is sent;
/// the outbox and the session list rows are then brought up to date, and again on the next call or
/// activation if that failed half-way.</para>
/// <para>Expiry: a reminder due at <c>expiresAt</c> (capped at <see cref="LongestReminderWait"/>, re-armed
/// on each early tick); every tick and every activation runs the idempotent expiry check, so a tick
/// missed while no silo was up is caught up when the grain next wakes.</para>
/// </summary>
public sealed class SuggestionGrain(
    [PersistentState("suggested-session", StorageNames.Coaching)] IPersistentState<SuggestionState> store,
    TimeProvider clock,
    IOptions<ReminderOptions> reminderOptions,
    ILogger<SuggestionGrain> logger)
    : Grain, ISuggestionGrain, IRemindable
{
    public const string ExpiryReminder = "expiry";

    /// <summary>Longest single reminder wait; a far expiry (3 months by default) is reached in steps.</summary>
    public static readonly TimeSpan LongestReminderWait = TimeSpan.FromDays(7);

    /// <summary>How long after a failed delivery or list update it is tried again (besides on every call and activation).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? retry;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.State.Session is not null)
        {
            await CatchUp(rearm: false);
        }
    }

    public async Task<SessionOutcome> Suggest(string supervisorId, SessionDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (store.State.Session is not null)
        {
            return new SessionOutcome(null, Refusal.InvalidState($"Session '{Id}' already exists."));
        }

        var participants = (draft.Trainees.IsDefault ? [] : draft.Trainees).Append(draft.Coach);
        var directory = await Directory(participants, [supervisorId]);
        return await Apply(SessionLifecycle.Suggest(Id, supervisorId, draft, clock.GetUtcNow(), directory));
    }

    public Task<SuggestedSession?> Get() => Task.FromResult(store.State.Session);

    public async Task<SessionOutcome> Edit(string actorId, SessionChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (store.State.Session is not { } s)
        {
            return Missing();
        }

        var directory = await Directory(Participants(s, changes), [actorId, s.SuggestedBy]);
        return await Apply(SessionLifecycle.Edit(s, actorId, changes, clock.GetUtcNow(), directory));
    }

    public async Task<SessionOutcome> Delete(string actorId) =>
        store.State.Session is { } s ? await Apply(SessionLifecycle.Delete(s, actorId, clock.GetUtcNow())) : Missing();

    public async Task<SessionOutcome> Schedule(string actorId, DateTimeOffset scheduledAt, int durationMinutes, SessionChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (store.State.Session is not { } s)
        {
            return Missing();
        }

        var directory = await Directory(Participants(s, changes), [actorId, s.SuggestedBy]);
        return await Apply(SessionLifecycle.Schedule(s, actorId, scheduledAt, durationMinutes, changes, clock.GetUtcNow(), directory));
    }

    public async Task<SessionOutcome> Decline(string actorId, string? reason)
    {
        if (store.State.Session is not { } s)
        {
            return Missing();
        }

        var directory = await Directory([], [actorId]);
        return await Apply(SessionLifecycle.Decline(s, actorId, reason, clock.GetUtcNow(), directory));
    }

    public async Task<SessionOutcome> Complete(string actorId, string? notes) =>
        store.State.Session is { } s ? await Apply(SessionLifecycle.Complete(s, actorId, notes, clock.GetUtcNow())) : Missing();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        if (store.State.Session is null)
        {
            await Disarm();
            return;
        }

        await CatchUp(rearm: true);
    }

    /// <summary>Delivers what is left in the outbox, expires the session if it is past due, and (re)arms or disarms the reminder.</summary>
    /// <param name="rearm">On a tick, move the reminder on; on activation only make sure one exists (no write per activation).</param>
    private async Task CatchUp(bool rearm)
    {
        await CarryOut();
        if (store.State.Session is { } s)
        {
            var expiry = SessionLifecycle.CheckExpiry(s, clock.GetUtcNow());
            if (expiry.Changed)
            {
                await Apply(expiry);
                return;
            }

            if (rearm || (SessionLifecycle.PendingExpiryAt(s) is not null && await this.GetReminder(ExpiryReminder) is null))
            {
                await KeepReminder(s);
            }
        }
    }

    private async Task<SessionOutcome> Apply(SessionDecision decision)
    {
        if (!decision.IsAccepted)
        {
            return new SessionOutcome(store.State.Session, decision.Refusal);
        }

        if (!decision.Changed)
        {
            return new SessionOutcome(store.State.Session, null);
        }

        var next = decision.State;
        var transition = next.History.Length;
        var recorded = store.State.Session?.History.Length ?? 0;
        store.State.Session = next;
        store.State.Outbox.AddRange(
            from message in decision.Notifications
            from recipient in message.Recipients
            select new PendingNotice(recipient, new NotificationDraft(
                $"{next.Id}:{transition}:{message.Type}:{recipient}", message.Type, message.Text, message.Subject)));
        await store.WriteStateAsync();
        foreach (var step in next.History.Skip(recorded))
        {
            CoachingMetrics.SuggestionTransitions.Add(1, new("action", step.Action), new("to", step.To.ToString()));
            if (step.Action == "expired")
            {
                CoachingMetrics.Expiries.Add(1, new KeyValuePair<string, object?>("kind", "suggestion"));
            }
        }

        await CarryOut();
        await KeepReminder(next);
        return new SessionOutcome(next, null);
    }

    /// <summary>Brings inboxes and session lists up to date with the stored state; failures are retried on the next call or activation.</summary>
    private async Task CarryOut()
    {
        if (store.State.Session is not { } s)
        {
            return;
        }

        var wanted = SessionLists.For(s);
        var current = store.State.IndexedUnder.ToHashSet(StringComparer.Ordinal);
        var row = SessionRow.Of(s);
        if (store.State.Outbox.Count == 0 && store.State.ListedRevision == row.Revision && current.SetEquals(wanted))
        {
            return;
        }

        try
        {
            await Task.WhenAll(store.State.Outbox.Select(n => GrainFactory.GetGrain<INotificationInboxGrain>(n.Recipient).Deliver(n.Draft)));
            await Task.WhenAll(
                wanted.Select(k => GrainFactory.GetGrain<ISessionListGrain>(k).Put(row))
                    .Concat(current.Where(k => !wanted.Contains(k)).Select(k => GrainFactory.GetGrain<ISessionListGrain>(k).Remove(s.Id, row.Revision))));
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            logger.LogWarning(e, "Session {SessionId}: notifications or list rows not yet up to date; retrying in {Delay}", s.Id, RetryDelay);
            retry ??= this.RegisterGrainTimer(RetryCarryOut, new GrainTimerCreationOptions(RetryDelay, Timeout.InfiniteTimeSpan));
            return;
        }

        store.State.Outbox.Clear();
        store.State.IndexedUnder = [.. wanted];
        store.State.ListedRevision = row.Revision;
        await store.WriteStateAsync();
    }

    private async Task RetryCarryOut(CancellationToken cancellationToken)
    {
        retry?.Dispose();
        retry = null;
        await CarryOut();
    }

    private async Task KeepReminder(SuggestedSession s)
    {
        if (SessionLifecycle.PendingExpiryAt(s) is not { } expiresAt)
        {
            await Disarm();
            return;
        }

        var wait = expiresAt - clock.GetUtcNow();
        var due = wait <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : wait > LongestReminderWait ? LongestReminderWait : wait;
        // The period matters only when a tick is missed (no silo up at expiresAt): the next one comes at most a
        // period after the reminder service is back, so keep it as short as Orleans allows.
        await this.RegisterOrUpdateReminder(ExpiryReminder, due, reminderOptions.Value.MinimumReminderPeriod);
    }

    private async Task Disarm()
    {
        if (await this.GetReminder(ExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private SessionOutcome Missing() => new(null, Refusal.NotAllowed($"No session '{Id}'."));

    private static IEnumerable<Participant> Participants(SuggestedSession s, SessionChanges changes) =>
        new[] { s.Coach, changes.Coach }.Concat(s.Trainees).Concat(changes.Trainees ?? []).OfType<Participant>();

    /// <summary>The directory as the rules need it: the named users and groups, the groups' members, and the coaching areas.</summary>
    private async Task<DirectorySnapshot> Directory(IEnumerable<Participant> participants, IEnumerable<string> alsoUsers)
    {
        var named = participants.Where(p => p is not null && !string.IsNullOrWhiteSpace(p.Id)).Distinct().ToList();
        var groupIds = named.Where(p => p.Type == ParticipantType.Group).Select(p => p.Id).ToList();
        var groups = (await Task.WhenAll(groupIds.Select(g => GrainFactory.GetGrain<IGroupGrain>(g).Get()))).OfType<GroupView>().ToList();

        var userIds = named.Where(p => p.Type == ParticipantType.User).Select(p => p.Id)
            .Concat(alsoUsers.Where(u => !string.IsNullOrWhiteSpace(u)))
            .Concat(groups.SelectMany(g => g.Members))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var users = (await Task.WhenAll(userIds.Select(u => GrainFactory.GetGrain<IUserGrain>(u).Get()))).OfType<UserView>();
        var areas = await GrainFactory.GetGrain<ICoachingAreasGrain>(ICoachingAreasGrain.Key).List();

        // An inactive user is treated like a deleted one: neither coached, nor coaching, nor notified as a member.
        return new DirectorySnapshot(
            users.Select(u => new DirectoryUser(u.Id, u.DisplayName, Deleted: !u.IsEligible)),
            groups.Select(g => new DirectoryGroup(g.Id, g.DisplayName, g.Members)),
            areas.Select(a => a.Id));
    }
}

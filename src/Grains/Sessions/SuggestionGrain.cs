using System.Text.Json.Serialization;
using Coaching.Directory;
using Coaching.Inbox;
using Coaching.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Coaching.Telemetry;

namespace Coaching.Sessions;

[GenerateSerializer, Alias("coaching.suggestion-state")]
public sealed class SuggestionState
{
    [Id(0)] public SuggestedSession? Session { get; set; }

    /// <summary>The outbox's notices still to deliver (<see cref="OutboxRules"/>); written with the transition.</summary>
    [Id(1)] public List<PendingNotice> Outbox { get; set; } = [];

    /// <summary>Only in rows of the earlier design: the lists the session was confirmed on. Never written again.</summary>
    [Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? IndexedUnder { get; set; }

    /// <summary>Only in rows of the earlier design: the revision those lists were confirmed to show. Never written again.</summary>
    [Id(3), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ListedRevision { get; set; }

    /// <summary>The row the session's lists are to show: the last transition's (kept once published); null only before the first transition and in rows of the earlier design.</summary>
    [Id(4)] public SessionRow? Row { get; set; }

    /// <summary>The lists <see cref="Row"/> must still be put on.</summary>
    [Id(5)] public List<string> Lists { get; set; } = [];

    /// <summary>The lists the session must still be taken off, as of the row's revision.</summary>
    [Id(6)] public List<string> LeftLists { get; set; } = [];

    /// <summary>Where the row must still go.</summary>
    [JsonIgnore]
    public Placement Placement => new(Lists, LeftLists);
}

/// <summary>
/// One suggested session. Thin: the rules are <see cref="SessionLifecycle"/>; this grain builds the
/// directory snapshot they need, keeps the state, and afterwards publishes the decision's effects.
/// <para>Effects go through the outbox (<see cref="OutboxRules"/>, <see cref="OutboxPublisher"/>): the new state is
/// written together with its notifications (delivery key <c>{session}:{transition}:{type}</c>) and where its list
/// row must go before anything is sent; a downstream grain's refusal is retried (a timer, and a reminder should the
/// activation go), and never fails the call.</para>
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

    private OutboxPublisher? outbox;

    /// <summary>Publishes the stored outbox: after each write, on activation, and on its retries.</summary>
    private OutboxPublisher Effects => outbox ??= new OutboxPublisher(
        this, GrainFactory, () => store.State.Row is not null && (!store.State.Placement.IsDone || store.State.Outbox.Count > 0), PublishOutbox, ct => store.WriteStateAsync(ct),
        reminderOptions.Value.MinimumReminderPeriod, logger);

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.State.Session is { } s)
        {
            if (store.State.Row is null)
            {
                // A row of the earlier design: what it still had to publish, in the outbox's terms (stored with the next write).
                var placement = SessionEffects.Earlier(s, store.State.IndexedUnder ?? [], store.State.ListedRevision);
                (store.State.Row, store.State.Lists, store.State.LeftLists) = (SessionRow.Of(s), [.. placement.Into], [.. placement.Off]);
                (store.State.IndexedUnder, store.State.ListedRevision) = (null, 0);
            }

            // Effects a crash (or an unreachable grain) left pending go out first; what still cannot is retried later.
            await Effects.Publish();
            await CatchUp(rearm: false);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Effects.OnDeactivate(cancellationToken);

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
        if (await Effects.ReceiveReminder(reminderName) || reminderName != ExpiryReminder)
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

    /// <summary>Expires the session if it is past due, and (re)arms or disarms the reminder.</summary>
    /// <param name="rearm">On a tick, move the reminder on; on activation only make sure one exists (no write per activation).</param>
    private async Task CatchUp(bool rearm)
    {
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

        var before = store.State.Session;
        var next = decision.State;
        var recorded = before?.History.Length ?? 0;
        var placement = OutboxRules.Then(store.State.Row is null ? null : store.State.Placement, SessionEffects.Move(before, next));
        store.State.Session = next;
        (store.State.Row, store.State.Lists, store.State.LeftLists) = (SessionRow.Of(next), [.. placement.Into], [.. placement.Off]);
        store.State.Outbox = OutboxRules.Then(store.State.Outbox, SessionEffects.Notices(next, decision.Notifications), OutboxRules.KeyOf);
        await store.WriteStateAsync();
        Effects.Saved();
        foreach (var step in next.History.Skip(recorded))
        {
            CoachingMetrics.SuggestionTransitions.Add(1, new("action", step.Action), new("to", step.To.ToString()));
            if (step.Action == "expired")
            {
                CoachingMetrics.Expiries.Add(1, new KeyValuePair<string, object?>("kind", "suggestion"));
            }
        }

        await Effects.Publish();
        await KeepReminder(next);
        return new SessionOutcome(next, null);
    }

    /// <summary>Acts on the outbox: notices and list rows. What a downstream grain refuses stays in it; true when nothing is left.</summary>
    private async Task<bool> PublishOutbox()
    {
        if (store.State.Row is not { } row)
        {
            return true;
        }

        var lists = await Effects.Place(store.State.Placement,
            list => GrainFactory.GetGrain<ISessionListGrain>(list).Put(row),
            list => GrainFactory.GetGrain<ISessionListGrain>(list).Remove(row.Id, row.Revision));
        (store.State.Lists, store.State.LeftLists) = ([.. lists.Into], [.. lists.Off]);
        store.State.Outbox = await Effects.Notify(store.State.Outbox);
        return lists.IsDone && store.State.Outbox.Count == 0;
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

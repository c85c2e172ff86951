using System.Collections.Immutable;
using Coaching.Directory;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Coaching.Telemetry;

namespace Coaching.Assessments;

[GenerateSerializer, Alias("coaching.assessment-grain-state")]
public sealed class AssessmentGrainState
{
    [Id(0)] public Assessment? Assessment { get; set; }

    /// <summary>The due time the expiry reminder is registered for; null when none is registered.</summary>
    [Id(1)] public DateTimeOffset? ReminderDueAt { get; set; }

    /// <summary>What the last transition must still publish; written with the transition, acted on right after.</summary>
    [Id(2)] public AssessmentOutbox? Outbox { get; set; }
}

/// <summary>
/// One coaching assessment (key: <see cref="AssessmentIds.For"/>). The rules are <see cref="AssessmentLifecycle"/>;
/// this grain persists their decisions and acts on their events: queues, notifications, surveys, opportunity stats,
/// and its own one-shot expiry reminder. The state is written with the transition's effects (its outbox) before
/// anything is published; what a downstream grain refuses is retried until done (a timer, and a reminder for when the
/// activation goes), and never fails a read. Everything published is idempotent (queue lines are replaced by
/// revision, notifications carry delivery keys, survey requests have fixed ids), the stats report included.
/// </summary>
public sealed partial class AssessmentGrain(
    [PersistentState("assessment", StorageNames.Coaching)] IPersistentState<AssessmentGrainState> store,
    TimeProvider clock,
    IOptions<ReminderOptions> reminderOptions,
    ILogger<AssessmentGrain> logger)
    : Grain, IAssessmentGrain, IRemindable
{
    public const string ExpiryReminder = "expiry";

    private OutboxPublisher? outbox;

    /// <summary>Publishes the stored outbox (<see cref="OutboxPublisher"/>): after each write, on activation, and on its retries.</summary>
    private OutboxPublisher Effects => outbox ??= new OutboxPublisher(
        this, GrainFactory, () => store.State.Outbox is not null && store.State.Assessment is not null, PublishOutbox, ct => store.WriteStateAsync(ct), ReminderPeriod, logger);

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.State.Assessment is not null)
        {
            // Effects of a transition whose publishing a crash (or an unreachable grain) cut short go out first. What
            // still cannot go out is retried later: an activation, and so a read, never fails for it.
            await Effects.Publish();
            // A reminder tick missed while every silo was down is not replayed: check "past due?" now.
            await CatchUp();
        }
    }

    public async Task<Assessment> Create(NewAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        if (store.State.Assessment is { } existing)
        {
            // A retry after an unknown outcome: whatever creation still had to publish goes out now.
            await Effects.Publish();
            ThrowIfUnlisted();
            return existing;
        }

        var coachId = assessment.Completion == CompletionMode.Virtual
            ? null
            : CoachAssignment.Choose(assessment.TraineeId, await EligibleMembers(assessment.CoachGroupId));
        await Apply(AssessmentLifecycle.Create(Id, assessment, coachId));
        ThrowIfUnlisted();
        return store.State.Assessment!;
    }

    /// <summary>
    /// An assessment no list shows yet is not answered as created: the call fails ("unavailable, retry"), so the
    /// event is sent again, while the stored outbox keeps trying to list it meanwhile.
    /// </summary>
    private void ThrowIfUnlisted()
    {
        if (store.State.Outbox is { } left && (left.Queues.Count > 0 || left.LeftQueues.Count > 0))
        {
            throw new OrleansException($"Assessment {Id}: its queues could not be updated yet.");
        }
    }

    public Task<Assessment?> Get() => Task.FromResult(store.State.Assessment);

    public async Task<AssessmentChange> Claim(AssessmentActor actor)
    {
        var members = await EligibleMembers(store.State.Assessment?.CoachGroupId);
        return await Run((a, now) => AssessmentLifecycle.Claim(a, actor, members, now));
    }

    public async Task<AssessmentChange> Reassign(AssessmentActor actor, string coachId)
    {
        var members = await EligibleMembers(store.State.Assessment?.CoachGroupId);
        return await Run((a, now) => AssessmentLifecycle.Reassign(a, actor, coachId, members, now));
    }

    public Task<AssessmentChange> Start(AssessmentActor actor) =>
        Run((a, now) => AssessmentLifecycle.Start(a, actor, now));

    public Task<AssessmentChange> AddNote(AssessmentActor actor, string text) =>
        Run((a, now) => AssessmentLifecycle.AddNote(a, actor, text, now));

    public Task<AssessmentChange> Resolve(AssessmentActor actor, AssessmentResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return Run((a, now) => AssessmentLifecycle.Resolve(a, actor, resolution.Summary, resolution.Rating, resolution.FollowUp, now));
    }

    public Task<AssessmentChange> Complete(AssessmentActor actor) =>
        Run((a, now) => AssessmentLifecycle.Complete(a, actor, now));

    public Task<AssessmentChange> Reopen(AssessmentActor actor) =>
        Run((a, now) => AssessmentLifecycle.Reopen(a, actor, now));

    public Task<AssessmentChange> Release(string coachId) =>
        Run((a, now) => AssessmentLifecycle.Release(a, coachId, now));

    public Task<AssessmentChange> Cancel(AssessmentActor actor) =>
        Run((a, now) => AssessmentLifecycle.Cancel(a, actor, now));

    public Task<AssessmentChange> CompleteLearningTask(AssessmentActor actor, string taskId) =>
        Run((a, now) => AssessmentLifecycle.CompleteLearningTask(a, actor, taskId, now));

    public async Task ApplySurveyResponse(SurveyRequest answered)
    {
        ArgumentNullException.ThrowIfNull(answered);
        if (store.State.Assessment is not { } a)
        {
            return;
        }

        var rated = SurveyResponses.ApplyRating(a, answered);
        if (rated != a)
        {
            store.State.Assessment = rated;
            await store.WriteStateAsync();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await Effects.ReceiveReminder(reminderName) || reminderName != ExpiryReminder)
        {
            return;
        }

        if (store.State.Assessment is not null)
        {
            await CatchUp();
        }

        // One-shot: once nothing is pending (expired, overdue, resolved, closed), the reminder goes.
        if (store.State.Assessment is null || AssessmentLifecycle.PendingExpiryAt(store.State.Assessment) is null)
        {
            await DropReminder();
            if (store.State.ReminderDueAt is not null)
            {
                store.State.ReminderDueAt = null;
                await store.WriteStateAsync();
            }
        }
    }

    private async Task<AssessmentChange> Run(Func<Assessment, DateTimeOffset, AssessmentDecision> command)
    {
        if (store.State.Assessment is null)
        {
            return new AssessmentChange(null, null);
        }

        await CatchUp();
        var decision = command(store.State.Assessment, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return new AssessmentChange(store.State.Assessment, refusal);
        }

        await Apply(decision);
        return new AssessmentChange(store.State.Assessment, null);
    }

    /// <summary>"Is it past due?" Expires (or marks overdue) when it is; idempotent.</summary>
    private async Task CatchUp()
    {
        var decision = AssessmentLifecycle.CheckExpiry(store.State.Assessment!, clock.GetUtcNow());
        if (decision.Changed)
        {
            await Apply(decision);
        }
        else
        {
            await SyncReminder(store.State.Assessment!, write: true);
        }
    }

    private async Task Apply(AssessmentDecision decision)
    {
        if (!decision.Changed)
        {
            return;
        }

        // Effects of an earlier transition still in the outbox (a downstream grain refused them) are merged with this
        // one's below (AssessmentEffects.Then: earlier notices first, the newest line wins) and go out in the one publish
        // after the write. The activation already turned an outbox of the earlier stored shape into the current one.
        var before = store.State.Assessment;
        var after = decision.State;
        var events = decision.Events;
        // A change that leaves it past due (e.g. created late) expires at once rather than at the next tick.
        var expiry = AssessmentLifecycle.CheckExpiry(after, clock.GetUtcNow());
        if (expiry.Changed)
        {
            after = expiry.State;
            events = events.AddRange(expiry.Events);
        }

        var names = events.IsDefaultOrEmpty ? [] : await DisplayNames(after);
        store.State.Assessment = after;
        store.State.Outbox = AssessmentEffects.Then(store.State.Outbox, AssessmentEffects.Of(before, after, events, id => names.GetValueOrDefault(id, id)));
        await SyncReminder(after, write: false);
        await store.WriteStateAsync();
        Effects.Saved();
        await Effects.Publish();
    }

    /// <summary>
    /// Acts on the outbox: queues, notifications, surveys, stats. What a downstream grain refuses stays in the outbox
    /// (<see cref="OutboxPublisher"/> retries it). True when nothing is left.
    /// </summary>
    private async Task<bool> PublishOutbox()
    {
        if (store.State.Outbox is not { } pending || store.State.Assessment is not { } after)
        {
            return true;
        }

        if (pending.IsEarlierShape)
        {
            // Stored by an earlier version (the whole assessment before the transition): its effects, worked out now.
            var names = pending.Events.Count == 0 ? [] : await DisplayNames(after);
            pending = AssessmentEffects.Of(pending.Before, after, pending.Events, id => names.GetValueOrDefault(id, id));
            store.State.Outbox = pending;
        }

        var line = pending.Line!;
        var queues = await Effects.Place(pending.Placement,
            queue => GrainFactory.GetGrain<IAssessmentQueueGrain>(queue).Put(line),
            queue => GrainFactory.GetGrain<IAssessmentQueueGrain>(queue).Remove(line.Id, line.Revision));
        var left = new AssessmentOutbox
        {
            Line = line,
            Queues = [.. queues.Into],
            LeftQueues = [.. queues.Off],
            Notices = await Effects.Notify(pending.Notices),
            Events = await SendSurveys(after, pending.Events),
            Reports = await ReportTransitions(after, pending.Reports),
        };
        store.State.Outbox = AssessmentEffects.IsDone(left) ? null : left;
        return store.State.Outbox is null;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Effects.OnDeactivate(cancellationToken);

    /// <summary>Registers the one-shot expiry reminder for the pending due time, or drops it when none is pending.</summary>
    private async Task SyncReminder(Assessment a, bool write)
    {
        var due = AssessmentLifecycle.PendingExpiryAt(a);
        if (due == store.State.ReminderDueAt)
        {
            return;
        }

        if (due is { } at)
        {
            var dueIn = at - clock.GetUtcNow();
            await this.RegisterOrUpdateReminder(ExpiryReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, ReminderPeriod);
        }
        else
        {
            await DropReminder();
        }

        store.State.ReminderDueAt = due;
        if (write)
        {
            await store.WriteStateAsync();
        }
    }

    /// <summary>Only matters when a tick fails: the reminder rings again after this long.</summary>
    private TimeSpan ReminderPeriod => reminderOptions.Value.MinimumReminderPeriod > TimeSpan.Zero
        ? reminderOptions.Value.MinimumReminderPeriod
        : TimeSpan.FromMinutes(1);

    private async Task DropReminder()
    {
        if (await this.GetReminder(ExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<ImmutableArray<string>> EligibleMembers(string? groupId)
    {
        if (groupId is null || await GrainFactory.GetGrain<IGroupGrain>(groupId).Get() is not { } group)
        {
            return [];
        }

        var users = await Task.WhenAll(group.Members.Select(m => GrainFactory.GetGrain<IUserGrain>(m).Get()));
        return [.. users.Where(u => u is { IsEligible: true }).Select(u => u!.Id)];
    }

    /// <summary>Sends the survey requests (fixed ids, so a repeat is harmless); answers the orders not sent yet.</summary>
    private async Task<List<AssessmentEvent>> SendSurveys(Assessment a, List<AssessmentEvent> events)
    {
        var orders = events.OfType<SurveysDue>().SelectMany(s => s.Orders).ToList();
        if (orders.Count == 0)
        {
            return [];
        }

        var left = new List<SurveyOrder>();
        var names = await DisplayNames(a);
        foreach (var order in orders)
        {
            try
            {
                if (await GrainFactory.GetGrain<ISurveyGrain>(order.SurveyId).Get() is not { } survey)
                {
                    LogUnknownSurvey(a.Id, order.SurveyId);
                    continue;
                }

                var request = new SurveyRequest(SurveyRequestIds.For(a.Id, order.Audience), a.Id, order.SurveyId, order.RespondentId, order.Audience, clock.GetUtcNow());
                var about = order.Audience == SurveyAudience.FilledByCoach ? a.TraineeId : a.CoachId ?? a.TraineeId;
                await GrainFactory.GetGrain<ISurveyRequestsGrain>(order.RespondentId).Send(request, survey, names.GetValueOrDefault(about, about));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
            {
                LogSurveyFailed(e, a.Id, order.RespondentId);
                left.Add(order);
            }
        }

        return left.Count == 0 ? [] : [new SurveysDue([.. left])];
    }

    /// <summary>
    /// The opportunity's stats get the transition's last report: the assessment's standing as of its revision, which
    /// replaces any earlier one and is ignored if it comes again, so a repeat counts nothing twice. Answers the reports
    /// still to send: none once the stats have stored the standing, all of them (to go out again) if they could not.
    /// </summary>
    private async Task<List<TransitionReport>> ReportTransitions(Assessment a, List<TransitionReport> reports)
    {
        if (reports.Count == 0)
        {
            return [];
        }

        try
        {
            await GrainFactory.GetGrain<IOpportunityStatsGrain>(a.OpportunityId).RecordTransition(reports[^1].Transition);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStatsFailed(e, a.Id, a.OpportunityId);
            return reports;
        }

        foreach (var (action, transition) in reports)
        {
            CoachingMetrics.AssessmentTransitions.Add(1, new("action", action), new("to", transition.To.ToString()));
            if (transition.Expired)
            {
                CoachingMetrics.Expiries.Add(1, new KeyValuePair<string, object?>("kind", "assessment"));
            }
        }

        return [];
    }

    private async Task<Dictionary<string, string>> DisplayNames(Assessment a)
    {
        var ids = new[] { a.TraineeId, a.CoachId }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            try
            {
                if (await GrainFactory.GetGrain<IUserGrain>(id).Get() is { } user)
                {
                    names[id] = user.DisplayName;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                LogNameLookupFailed(e, a.Id, id);
            }
        }

        return names;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId}: reading the display name of {UserId} failed; its notices name the user id")]
    private partial void LogNameLookupFailed(Exception e, string assessmentId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId}: survey {SurveyId} does not exist; no request sent")]
    private partial void LogUnknownSurvey(string assessmentId, string surveyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId}: sending a survey to {UserId} failed")]
    private partial void LogSurveyFailed(Exception e, string assessmentId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessment {AssessmentId}: reporting a transition to the stats of {OpportunityId} failed; the outbox keeps it")]
    private partial void LogStatsFailed(Exception e, string assessmentId, string opportunityId);
}

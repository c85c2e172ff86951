using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Directory;
using Coaching.Moments;
using Coaching.Outbox;
using Coaching.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coaching.Trainees;

[GenerateSerializer, Alias("coaching.trainee-assessment-entry")]
public sealed class TraineeAssessmentEntry
{
    [Id(0)] public string OpportunityId { get; set; } = "";
    [Id(1)] public string AssessmentId { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
}

[GenerateSerializer, Alias("coaching.trainee-state")]
public sealed class TraineeState
{
    /// <summary>Created decisions by (opportunity, sender event key): a replay finds its decision here.</summary>
    [Id(0)] public Dictionary<string, TraineeAssessmentEntry> Decisions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Assessments decided but not yet confirmed created by the assessment grain.</summary>
    [Id(1)] public Dictionary<string, NewAssessment> Pending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The longest duplicate window seen; decisions younger than it (and than the retention) are kept.</summary>
    [Id(2)] public TimeSpan LongestWindow { get; set; }
}

/// <summary>
/// A trainee (key: user id). Decides SPEC.md A steps 2-6 for candidates of any opportunity, one call at a time,
/// so concurrent events never slip past the duplicate window or the budget. A created decision is written
/// before the answer, with the assessment to create in the outbox (<see cref="TraineeState.Pending"/>); the
/// assessment is then created (idempotent: its id is fixed by the event), and retried until it is by the one outbox
/// mechanism (<see cref="OutboxPublisher"/>: a timer, and a reminder should this activation go).
/// </summary>
public sealed class TraineeGrain : Grain, ITraineeGrain, IRemindable
{
    /// <summary>Decisions are kept at least this long so replays after a crash find them.</summary>
    public static readonly TimeSpan DecisionRetention = TimeSpan.FromDays(7);

    private readonly IPersistentState<TraineeState> state;
    private readonly TimeProvider clock;
    private readonly ILogger<TraineeGrain> logger;
    private readonly CoachingBudget? budget;
    private readonly TimeSpan reminderPeriod;
    private OutboxPublisher? outbox;

    /// <summary>Why the last creation attempt failed, for the caller's answer (a database's refusal of the data is not "retry").</summary>
    private Exception? creationFailure;

    public TraineeGrain(
        [PersistentState("trainee", StorageNames.Coaching)] IPersistentState<TraineeState> state,
        TimeProvider clock,
        IOptions<BudgetOptions> budgetOptions,
        IOptions<ReminderOptions> reminderOptions,
        ILogger<TraineeGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(budgetOptions);
        ArgumentNullException.ThrowIfNull(reminderOptions);
        this.state = state;
        this.clock = clock;
        this.logger = logger;
        budget = budgetOptions.Value.ToBudget();
        reminderPeriod = reminderOptions.Value.MinimumReminderPeriod;
    }

    /// <summary>Creates the pending assessments: after each decision, on activation, and on the outbox's retries.</summary>
    private OutboxPublisher Effects => outbox ??= new OutboxPublisher(
        this, GrainFactory, () => state.State.Pending.Count > 0, CreatePending, ct => state.WriteStateAsync(ct), reminderPeriod, logger);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Effects.Publish();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Effects.OnDeactivate(cancellationToken);

    public Task ReceiveReminder(string reminderName, TickStatus status) => Effects.ReceiveReminder(reminderName);

    public async Task<ImmutableArray<OpportunityOutcome>> Decide(ImmutableArray<CoachingCandidate> candidates)
    {
        var traineeId = this.GetPrimaryKeyString();
        var now = clock.GetUtcNow();
        var user = await GrainFactory.GetGrain<IUserGrain>(traineeId).Get();
        var prior = state.State.Decisions.Values.Select(d => new PriorAssessment(d.OpportunityId, d.CreatedAt)).ToList();
        var outcomes = ImmutableArray.CreateBuilder<OpportunityOutcome>(candidates.Length);
        var created = new List<string>();
        var changed = false;

        foreach (var candidate in candidates)
        {
            var assessmentId = AssessmentIds.For(candidate.OpportunityId, candidate.SenderEventKey);
            var decisionKey = candidate.OpportunityId + "\n" + candidate.SenderEventKey;
            if (state.State.Decisions.ContainsKey(decisionKey))
            {
                outcomes.Add(new OpportunityOutcome(candidate.OpportunityId, EventOutcome.Created, assessmentId));
                created.Add(assessmentId);
                continue;
            }

            var outcome = user is not { IsEligible: true } ? EventOutcome.UnknownTrainee
                : candidate.TraineeGroup is { } group && !user.Groups.Contains(group, StringComparer.Ordinal) ? EventOutcome.NotInTraineeGroup
                : CoachingWindow.Decide(
                    new CoachingRequest(candidate.OpportunityId, candidate.PreventDuplicates, candidate.DuplicateWindow, candidate.SampledIn, budget),
                    prior,
                    now);
            if (outcome != EventOutcome.Created)
            {
                outcomes.Add(new OpportunityOutcome(candidate.OpportunityId, outcome));
                continue;
            }

            state.State.Decisions[decisionKey] = new TraineeAssessmentEntry { OpportunityId = candidate.OpportunityId, AssessmentId = assessmentId, CreatedAt = now };
            state.State.Pending[assessmentId] = candidate.Assessment with { TraineeId = traineeId, CreatedAt = now };
            if (candidate.PreventDuplicates && candidate.DuplicateWindow > state.State.LongestWindow)
            {
                state.State.LongestWindow = candidate.DuplicateWindow;
            }

            prior.Add(new PriorAssessment(candidate.OpportunityId, now));
            outcomes.Add(new OpportunityOutcome(candidate.OpportunityId, EventOutcome.Created, assessmentId));
            created.Add(assessmentId);
            changed = true;
        }

        if (changed)
        {
            Prune(now);
            await state.WriteStateAsync();
            Effects.Saved();
        }

        if (created.Any(state.State.Pending.ContainsKey))
        {
            // A failure does not undo the decision (it is durable), but it fails the call: an event is answered
            // created only once its assessment exists. The client's retry finds the decision; the outbox retries meanwhile.
            await Effects.Publish();
            if (created.Any(state.State.Pending.ContainsKey))
            {
                // An Orleans exception whatever the cause, so the caller sees "unavailable, retry", never a server error.
                var message = $"Assessments of trainee {this.GetPrimaryKeyString()} are decided but not created yet.";
                throw creationFailure is null ? new OrleansException(message) : new OrleansException(message, creationFailure);
            }
        }

        return outcomes.MoveToImmutable();
    }

    private void Prune(DateTimeOffset now)
    {
        var keep = DecisionRetention;
        if (state.State.LongestWindow > keep)
        {
            keep = state.State.LongestWindow;
        }

        if (budget is not null && budget.Window > keep)
        {
            keep = budget.Window;
        }

        foreach (var (key, entry) in state.State.Decisions.ToList())
        {
            if (now - entry.CreatedAt >= keep && !state.State.Pending.ContainsKey(entry.AssessmentId))
            {
                state.State.Decisions.Remove(key);
            }
        }
    }

    /// <summary>Creates every pending assessment (each idempotent); true once none is left.</summary>
    private async Task<bool> CreatePending()
    {
        creationFailure = null;
        var attempts = state.State.Pending.ToList().Select(async p =>
        {
            try
            {
                await GrainFactory.GetGrain<IAssessmentGrain>(p.Key).Create(p.Value);
                return p.Key;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Assessment {AssessmentId} of trainee {TraineeId} is decided but not created yet; retrying.", p.Key, this.GetPrimaryKeyString());
                creationFailure ??= e;
                return null;
            }
        });
        foreach (var id in (await Task.WhenAll(attempts)).OfType<string>())
        {
            state.State.Pending.Remove(id);
        }

        return state.State.Pending.Count == 0;
    }
}

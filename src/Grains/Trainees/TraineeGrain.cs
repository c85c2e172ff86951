using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Directory;
using Coaching.Moments;
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
/// before the answer; the assessment is then created (idempotent), and retried until it is.
/// </summary>
public sealed class TraineeGrain : Grain, ITraineeGrain
{
    /// <summary>Decisions are kept at least this long so replays after a crash find them.</summary>
    public static readonly TimeSpan DecisionRetention = TimeSpan.FromDays(7);

    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<TraineeState> state;
    private readonly TimeProvider clock;
    private readonly ILogger<TraineeGrain> logger;
    private readonly CoachingBudget? budget;
    private IGrainTimer? retry;
    private bool pendingChanged;

    public TraineeGrain(
        [PersistentState("trainee", StorageNames.Coaching)] IPersistentState<TraineeState> state,
        TimeProvider clock,
        IOptions<BudgetOptions> budgetOptions,
        ILogger<TraineeGrain> logger)
    {
        this.state = state;
        this.clock = clock;
        this.logger = logger;
        ArgumentNullException.ThrowIfNull(budgetOptions);
        budget = budgetOptions.Value.ToBudget();
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending.Count > 0)
        {
            ScheduleRetry();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (pendingChanged)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

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
            pendingChanged = false;
        }

        await EnsureCreated(created);
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

    /// <summary>
    /// Creates the pending assessments among <paramref name="ids"/>. A failure does not undo the decision (it is
    /// durable), but it fails the call: an event is answered <c>created</c> only once its assessment exists. The
    /// client's retry finds the decision and creates it; a timer retries meanwhile as well.
    /// </summary>
    private async Task EnsureCreated(IEnumerable<string> ids)
    {
        var pending = ids.Distinct(StringComparer.Ordinal)
            .Where(state.State.Pending.ContainsKey)
            .Select(id => (Id: id, Assessment: state.State.Pending[id]))
            .ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var attempts = pending.Select(async p =>
        {
            try
            {
                await GrainFactory.GetGrain<IAssessmentGrain>(p.Id).Create(p.Assessment);
                return (p.Id, Failure: (Exception?)null);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Assessment {AssessmentId} of trainee {TraineeId} is decided but not created yet; retrying.", p.Id, this.GetPrimaryKeyString());
                return (p.Id, Failure: e);
            }
        });
        Exception? firstFailure = null;
        foreach (var (id, failure) in await Task.WhenAll(attempts))
        {
            if (failure is null)
            {
                state.State.Pending.Remove(id);
                pendingChanged = true;
            }
            else
            {
                firstFailure ??= failure;
            }
        }

        if (state.State.Pending.Count > 0)
        {
            ScheduleRetry();
        }

        if (firstFailure is not null)
        {
            // An Orleans exception whatever the cause, so the caller sees "unavailable, retry", never a server error.
            throw new OrleansException($"Assessments of trainee {this.GetPrimaryKeyString()} are decided but not created yet.", firstFailure);
        }
    }

    private void ScheduleRetry()
    {
        retry ??= this.RegisterGrainTimer(RetryPending, new GrainTimerCreationOptions(RetryEvery, RetryEvery));
    }

    private async Task RetryPending()
    {
        try
        {
            await EnsureCreated([.. state.State.Pending.Keys]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Already logged per assessment; the next tick tries again.
        }

        if (state.State.Pending.Count == 0)
        {
            retry?.Dispose();
            retry = null;
        }

        if (pendingChanged)
        {
            await state.WriteStateAsync();
            pendingChanged = false;
        }
    }
}

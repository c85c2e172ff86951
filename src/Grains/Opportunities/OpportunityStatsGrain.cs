using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;

namespace Coaching.Opportunities;

[GenerateSerializer, Alias("coaching.opportunity-stats-state")]
public sealed class OpportunityStatsState
{
    [Id(0)] public long EventsMatched { get; set; }
    [Id(1)] public Dictionary<EventOutcome, long> Outcomes { get; set; } = [];
    [Id(2)] public Dictionary<AssessmentState, long> AssessmentsByState { get; set; } = [];
    [Id(3)] public long Expired { get; set; }
    [Id(4)] public long ScriptErrors { get; set; }
    [Id(5)] public long ResolvedCount { get; set; }
    [Id(6)] public TimeSpan ResolveTimeTotal { get; set; }
}

/// <summary>
/// Counters of one opportunity (key: COP number). Callers send sums; the grain keeps them in memory and writes
/// at most every <see cref="FlushEvery"/> (and when it deactivates), never once per call.
/// </summary>
public sealed class OpportunityStatsGrain(
    [PersistentState("opportunity-stats", StorageNames.Coaching)] IPersistentState<OpportunityStatsState> state)
    : Grain, IOpportunityStatsGrain
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(2);

    private bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(Flush, new GrainTimerCreationOptions(FlushEvery, FlushEvery));
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await Flush();

    public Task AddOutcomes(OutcomeCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var s = state.State;
        s.EventsMatched += counts.Matched;
        foreach (var (outcome, count) in counts.Outcomes)
        {
            s.Outcomes[outcome] = s.Outcomes.GetValueOrDefault(outcome) + count;
        }

        s.ScriptErrors += counts.ScriptErrors;
        dirty = true;
        return Task.CompletedTask;
    }

    public Task RecordTransition(AssessmentTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var s = state.State;
        if (transition.From is { } from && s.AssessmentsByState.GetValueOrDefault(from) > 0)
        {
            s.AssessmentsByState[from]--;
        }

        s.AssessmentsByState[transition.To] = s.AssessmentsByState.GetValueOrDefault(transition.To) + 1;
        if (transition.Expired)
        {
            s.Expired++;
        }

        if (transition.TimeToResolve is { } resolveTime)
        {
            s.ResolvedCount++;
            s.ResolveTimeTotal += resolveTime;
        }

        dirty = true;
        return Task.CompletedTask;
    }

    public Task<OpportunityStats> Get()
    {
        var s = state.State;
        return Task.FromResult(new OpportunityStats(
            this.GetPrimaryKeyString(),
            s.EventsMatched,
            s.Outcomes.ToImmutableDictionary(),
            s.AssessmentsByState.ToImmutableDictionary(),
            s.Expired,
            s.ScriptErrors,
            s.ResolvedCount == 0 ? null : s.ResolveTimeTotal / s.ResolvedCount));
    }

    private async Task Flush()
    {
        if (!dirty)
        {
            return;
        }

        dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            dirty = true;
            throw;
        }
    }
}

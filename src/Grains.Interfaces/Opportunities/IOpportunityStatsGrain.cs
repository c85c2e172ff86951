using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;

namespace Coaching.Opportunities;

/// <summary>A batch of per-event counts for one opportunity, summed by the sender before it is sent.</summary>
[GenerateSerializer, Immutable, Alias("coaching.outcome-counts")]
public sealed record OutcomeCounts(
    [property: Id(0)] long Matched,
    [property: Id(1)] ImmutableDictionary<EventOutcome, long> Outcomes,
    [property: Id(2)] long ScriptErrors);

/// <summary>An assessment moving from one state to another, as the stats count it.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-transition")]
public sealed record AssessmentTransition(
    [property: Id(0)] string AssessmentId,
    [property: Id(1)] AssessmentState? From,
    [property: Id(2)] AssessmentState To,
    [property: Id(3)] bool Expired,
    [property: Id(4)] TimeSpan? TimeToResolve);

[GenerateSerializer, Immutable, Alias("coaching.opportunity-stats")]
public sealed record OpportunityStats(
    [property: Id(0)] string OpportunityId,
    [property: Id(1)] long EventsMatched,
    [property: Id(2)] ImmutableDictionary<EventOutcome, long> Outcomes,
    [property: Id(3)] ImmutableDictionary<AssessmentState, long> AssessmentsByState,
    [property: Id(4)] long Expired,
    [property: Id(5)] long ScriptErrors,
    [property: Id(6)] TimeSpan? AverageTimeToResolve);

/// <summary>
/// The counters of one opportunity (key: COP number). Ingestion sends summed counts (never one call per
/// event); assessments report their transitions. Writes are coalesced by the grain.
/// </summary>
[Alias("coaching.IOpportunityStatsGrain")]
public interface IOpportunityStatsGrain : IGrainWithStringKey
{
    [Alias("AddOutcomes")] Task AddOutcomes(OutcomeCounts counts);

    [Alias("RecordTransition")] Task RecordTransition(AssessmentTransition transition);

    [Alias("Get")] Task<OpportunityStats> Get();
}

using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;

namespace Coaching.Opportunities;

/// <summary>
/// One assessment's standing as its opportunity's stats count it, as of <see cref="Revision"/>: a report is not a delta
/// to add but the assessment's state at that point of its history, so the stats keep the report of the highest revision
/// per assessment and sending a report twice (a retry after an unknown outcome, a crash before the outbox was emptied)
/// counts nothing twice. OpportunityCounting (Coaching.Grains) holds the rule.
/// </summary>
/// <param name="From">The state this step left (null at creation): for the metrics only.</param>
/// <param name="To">The assessment's state as of <see cref="Revision"/>.</param>
/// <param name="Expired">Whether this step was an expiry: for the metrics only.</param>
/// <param name="TimeToResolve">Created to first resolved, once the assessment has been resolved at or before this step.</param>
/// <param name="Revision">
/// The step's position in the assessment's history (1 for creation): the idempotency key together with the assessment
/// id. 0 in reports stored before revisions were carried; those never replace a stored standing.
/// </param>
/// <param name="Expiries">How many expiries the history holds up to this step.</param>
[GenerateSerializer, Immutable, Alias("coaching.assessment-transition")]
public sealed record AssessmentTransition(
    [property: Id(0)] string AssessmentId,
    [property: Id(1)] AssessmentState? From,
    [property: Id(2)] AssessmentState To,
    [property: Id(3)] bool Expired,
    [property: Id(4)] TimeSpan? TimeToResolve,
    [property: Id(5)] int Revision = 0,
    [property: Id(6)] int Expiries = 0);

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
/// The stats of one opportunity (key: COP number). Outcome counts are written with the event answers themselves (one
/// statement, see IEventAnswers); assessments report their standing here, and a report is answered only once it is
/// durable, so the sender keeps it in its outbox until then. Nothing is held in memory: a silo may die at any time.
/// </summary>
[Alias("coaching.IOpportunityStatsGrain")]
public interface IOpportunityStatsGrain : IGrainWithStringKey
{
    /// <summary>Stores the assessment's standing unless one of the same or a higher revision is stored. Durable when it returns.</summary>
    [Alias("RecordTransition")] Task RecordTransition(AssessmentTransition transition);

    [Alias("Get")] Task<OpportunityStats> Get();
}

using Orleans.Concurrency;

namespace Coaching.Opportunities;

/// <summary>
/// The stats of one opportunity (key: COP number), a thin door to <see cref="IOpportunityCounts"/>. It holds nothing in
/// memory, so it runs as a stateless worker: no single activation sits on the path of every assessment's report, and a
/// silo that dies takes no count with it. A report is answered once it is stored; until then the assessment keeps it in
/// its outbox and sends it again, which the standing's revision makes harmless (<see cref="OpportunityCounting"/>).
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class OpportunityStatsGrain(IOpportunityCounts counts) : Grain, IOpportunityStatsGrain
{
    public Task RecordTransition(AssessmentTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return OpportunityCounting.Replaces(null, transition)
            ? counts.Put(this.GetPrimaryKeyString(), transition)
            : Task.CompletedTask;
    }

    public Task<OpportunityStats> Get() => counts.Read(this.GetPrimaryKeyString());
}

using System.Collections.Immutable;
using Coaching.Opportunities;
using Coaching.Pipeline;

namespace Coaching.Bench.Micro;

/// <summary>
/// The pipeline's own per-event code (src/Grains/Pipeline): the locally cached <see cref="OpportunityCatalogView"/>
/// built from a catalog snapshot as the intake grain builds it, and <see cref="EventEvaluation.Evaluate"/> as the
/// intake grain calls it for each event: lookup by table, fields prepared once, every moment of the table evaluated,
/// and for each match the trainee, the sampling draw, the snapshot and the candidate assessment.
/// </summary>
public sealed class PipelineCatalog
{
    private readonly OpportunityCatalogView view;

    public PipelineCatalog(IReadOnlyList<BenchOpportunity> opportunities)
    {
        var now = DateTimeOffset.UnixEpoch;
        var active = opportunities.Select(o => new Opportunity
        {
            Id = o.Id,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
            Definition = new OpportunityDefinition
            {
                Name = o.Id,
                SourceTable = o.Table,
                TraineeField = o.TraineeField,
                CoachGroup = "coaches",
                MomentJson = o.MomentJson,
                SnapshotFields = ["resolution_code", "work_notes"],
                RandomSamplePercent = 100,
            },
        }).ToImmutableArray();
        view = OpportunityCatalogView.Empty.Next(new OpportunityCatalogSnapshot(1, active));
        if (active.Any(o => view.For(o.Definition.SourceTable).All(a => a.Moment is null)))
        {
            throw new InvalidOperationException("A benchmark moment did not parse.");
        }
    }

    public static IncomingEvent Incoming(BenchEvent e) => new(
        e.EventId, e.Table, e.RecordId, DateTimeOffset.UnixEpoch,
        e.Fields.ToImmutableDictionary(StringComparer.Ordinal), e.Previous.ToImmutableDictionary(StringComparer.Ordinal));

    /// <summary>Matches (decided here or candidates for the trainee grain) for one event.</summary>
    public int Evaluate(IncomingEvent incoming, string senderEventKey) => EventEvaluation.Evaluate(view, senderEventKey, incoming).Count;
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Coaching.Telemetry;

/// <summary>
/// The domain's own meters and activity source. Counters are tagged with low-cardinality values only
/// (outcome, state, transition): never user, trainee or event ids.
/// </summary>
public static class CoachingMetrics
{
    public const string Name = "Coaching";

    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsIngested =
        Meter.CreateCounter<long>("coaching.events.ingested", "{event}", "Events accepted for evaluation (replays excluded).");

    public static readonly Counter<long> EventsReplayed =
        Meter.CreateCounter<long>("coaching.events.replayed", "{event}", "Events answered from their first answer.");

    public static readonly Counter<long> MomentsMatched =
        Meter.CreateCounter<long>("coaching.moments.matched", "{match}", "Opportunity moments that matched an event.");

    public static readonly Counter<long> Outcomes =
        Meter.CreateCounter<long>("coaching.outcomes", "{outcome}", "Per-opportunity outcomes of matched events, tagged by outcome.");

    public static readonly Counter<long> AssessmentTransitions =
        Meter.CreateCounter<long>("coaching.assessments.transitions", "{transition}", "Assessment state changes, tagged by action and target state.");

    public static readonly Counter<long> Expiries =
        Meter.CreateCounter<long>("coaching.expiries", "{expiry}", "Assessments and suggestions expired by their reminders, tagged by kind.");

    public static readonly Counter<long> SuggestionTransitions =
        Meter.CreateCounter<long>("coaching.suggestions.transitions", "{transition}", "Suggested session state changes, tagged by action and target state.");

    public static readonly Histogram<long> SessionListRowsRead =
        Meter.CreateHistogram<long>("coaching.session_lists.rows_read", "{row}", "Rows one session list page read from its store, tagged by list kind.");

    public static readonly Histogram<long> SessionListSessionsRead =
        Meter.CreateHistogram<long>("coaching.session_lists.sessions_read", "{session}", "Sessions one session list page read for its items, tagged by list kind.");

    public static readonly Counter<long> ScriptErrors =
        Meter.CreateCounter<long>("coaching.scripts.errors", "{error}", "Capture scripts that failed or hit a limit.");

    public static readonly Histogram<double> ScriptTime =
        Meter.CreateHistogram<double>("coaching.scripts.duration", "ms", "Time to run one capture script.");

    public static readonly Histogram<double> IngestionLatency =
        Meter.CreateHistogram<double>("coaching.ingestion.duration", "ms", "Time to decide one ingestion request, single or batch.");

    public static readonly Counter<long> PostgresBatches =
        Meter.CreateCounter<long>("coaching.postgres.batches", "{batch}", "Round trips (each one commit) of the group-commit batcher.");

    public static readonly Counter<long> PostgresStatements =
        Meter.CreateCounter<long>("coaching.postgres.statements", "{statement}", "Statements (grain state reads and writes, event answers) sent in those batches.");
}

using System.Collections.Immutable;
using Coaching.Moments;
using Coaching.Opportunities;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Coaching.Telemetry;

namespace Coaching.Pipeline;

/// <summary>
/// The per-event path, on every silo: evaluates events against the silo's copy of the catalog (<see cref="SiloCatalog"/>:
/// pushed to before an opportunity write answers, polled in the background every <see cref="RefreshEvery"/> to repair
/// a missed push), asks each trainee once per batch to decide, stores the first answer of each event, and sums the
/// stats in memory, sent every <see cref="StatsEvery"/>.
/// </summary>
/// <remarks>
/// Order of durability: trainee decisions that create something are written by the trainee grain before it
/// answers; the event's answer is written before this grain answers. A crash in between loses no assessment:
/// the replay finds the trainee's recorded decision and gets the same assessment id.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class EventIntakeGrain(IEventAnswers ledger, SiloCatalog catalog, ILogger<EventIntakeGrain> logger) : Grain, IEventIntakeGrain
{
    /// <summary>How often the silo's copy asks the catalog for a version it missed (writes push theirs at once).</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan StatsEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, OutcomeTally> tallies = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!catalog.Loaded)
        {
            await Refresh();
        }

        this.RegisterGrainTimer(RefreshQuietly, new GrainTimerCreationOptions(RefreshEvery, RefreshEvery) { Interleave = true });
        this.RegisterGrainTimer(SendStats, new GrainTimerCreationOptions(StatsEvery, StatsEvery) { Interleave = true });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => SendStats();

    public async Task<ImmutableArray<EventAnswer>> Ingest(string sender, ImmutableArray<IncomingEvent> events)
    {
        var view = catalog.View;
        var keys = new string[events.Length];
        var matches = new List<OpportunityMatch>[events.Length];
        var undecided = new List<int>();
        for (var i = 0; i < events.Length; i++)
        {
            keys[i] = EventKeys.For(sender, events[i].EventId);
            matches[i] = EventEvaluation.Evaluate(view, keys[i], events[i]);
            if (matches[i].Exists(m => m.Candidate is not null))
            {
                undecided.Add(i);
            }
        }

        // Only an event a trainee must decide on is looked up first: a replay must not be decided again (its window or
        // the catalog may have moved). Any other event's answer is computed without side effects and stored only if it
        // is the first: a replay gets the stored one back from the same statement.
        var answers = new EventAnswer?[events.Length];
        var found = await Task.WhenAll(undecided.Select(i => ledger.Find(keys[i])));
        var byTrainee = new Dictionary<string, List<(int Event, int Match)>>(StringComparer.Ordinal);
        for (var n = 0; n < undecided.Count; n++)
        {
            var i = undecided[n];
            if (found[n] is { } stored)
            {
                answers[i] = stored;
                continue;
            }

            for (var m = 0; m < matches[i].Count; m++)
            {
                if (matches[i][m].TraineeId is { } trainee && matches[i][m].Candidate is not null)
                {
                    if (!byTrainee.TryGetValue(trainee, out var work))
                    {
                        byTrainee[trainee] = work = [];
                    }

                    work.Add((i, m));
                }
            }
        }

        var decided = new OpportunityOutcome?[events.Length][];
        await Task.WhenAll(byTrainee.Select(async pair =>
        {
            var outcomes = await GrainFactory.GetGrain<Coaching.Pipeline.ITraineeGrain>(pair.Key)
                .Decide([.. pair.Value.Select(w => matches[w.Event][w.Match].Candidate!)]);
            for (var n = 0; n < pair.Value.Count; n++)
            {
                var (i, m) = pair.Value[n];
                (decided[i] ??= new OpportunityOutcome?[matches[i].Count])[m] = outcomes[n];
            }
        }));

        var fresh = new List<int>(events.Length);
        var toStore = new List<(string EventKey, EventAnswer Answer)>(events.Length);
        for (var i = 0; i < events.Length; i++)
        {
            if (answers[i] is not null)
            {
                continue;
            }

            var list = matches[i];
            var outcomes = ImmutableArray.CreateBuilder<OpportunityOutcome>(list.Count);
            for (var m = 0; m < list.Count; m++)
            {
                outcomes.Add(decided[i]?[m] ?? new OpportunityOutcome(list[m].OpportunityId, list[m].Outcome!.Value));
            }

            fresh.Add(i);
            toStore.Add((keys[i], new EventAnswer(events[i].EventId, outcomes.MoveToImmutable())));
        }

        CoachingMetrics.EventsReplayed.Add(events.Length - fresh.Count);
        var recorded = toStore.Count == 0 ? [] : await ledger.RecordAll(toStore);
        for (var n = 0; n < fresh.Count; n++)
        {
            var i = fresh[n];
            answers[i] = recorded[n].Answer;
            if (recorded[n].First)
            {
                Tally(recorded[n].Answer, matches[i]);
            }
            else
            {
                CoachingMetrics.EventsReplayed.Add(1);
            }
        }

        return [.. answers.Select(a => a!)];
    }

    /// <summary>Counts a first answer's outcomes into the stats sent every <see cref="StatsEvery"/>.</summary>
    private void Tally(EventAnswer answer, List<OpportunityMatch> matches)
    {
        CoachingMetrics.EventsIngested.Add(1);
        for (var n = 0; n < answer.Outcomes.Length; n++)
        {
            var outcome = answer.Outcomes[n];
            if (!tallies.TryGetValue(outcome.OpportunityId, out var tally))
            {
                tallies[outcome.OpportunityId] = tally = new OutcomeTally();
            }

            tally.Add(outcome.Outcome, outcome.Outcome == EventOutcome.Created && matches[n].HasScriptError);
            CoachingMetrics.MomentsMatched.Add(1);
            CoachingMetrics.Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Outcome.ToWire()));
        }
    }

    private async Task RefreshQuietly()
    {
        try
        {
            await Refresh();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Opportunity catalog refresh failed; evaluating against version {Version}.", catalog.View.Version);
        }
    }

    private Task Refresh() =>
        catalog.Refresh(GrainFactory.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).GetIfNewer);

    private async Task SendStats()
    {
        if (tallies.Count == 0)
        {
            return;
        }

        var sums = tallies.ToList();
        tallies.Clear();
        try
        {
            await Task.WhenAll(sums.Select(pair =>
                GrainFactory.GetGrain<IOpportunityStatsGrain>(pair.Key).AddOutcomes(pair.Value.ToCounts())));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Opportunity stats could not be sent; the counts of this interval are lost.");
        }
    }

    private sealed class OutcomeTally
    {
        private readonly Dictionary<EventOutcome, long> outcomes = [];
        private long matched;
        private long scriptErrors;

        public void Add(EventOutcome outcome, bool scriptError)
        {
            matched++;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (scriptError)
            {
                scriptErrors++;
            }
        }

        public OutcomeCounts ToCounts() => new(matched, outcomes.ToImmutableDictionary(), scriptErrors);
    }
}

using System.Collections.Immutable;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Trainees;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Coaching.Telemetry;

namespace Coaching.Pipeline;

/// <summary>
/// The per-event path, on every silo: evaluates events against the silo's copy of the catalog (<see cref="SiloCatalog"/>:
/// pushed to before an opportunity write answers, polled in the background every <see cref="RefreshEvery"/> to repair
/// a missed push), asks each trainee once per batch to decide, and stores the first answer of each event together with
/// what it adds to the opportunities' stats (one statement: nothing is counted in memory, so a silo that dies loses no
/// count, and a replay, which finds its answer stored, counts nothing).
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

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!catalog.Loaded)
        {
            await Refresh();
        }

        this.RegisterGrainTimer(RefreshQuietly, new GrainTimerCreationOptions(RefreshEvery, RefreshEvery) { Interleave = true });
    }

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
            var outcomes = await GrainFactory.GetGrain<ITraineeGrain>(pair.Key)
                .Decide([.. pair.Value.Select(w => matches[w.Event][w.Match].Candidate!)]);
            for (var n = 0; n < pair.Value.Count; n++)
            {
                var (i, m) = pair.Value[n];
                (decided[i] ??= new OpportunityOutcome?[matches[i].Count])[m] = outcomes[n];
            }
        }));

        var fresh = new List<int>(events.Length);
        var toStore = new List<AnswerToStore>(events.Length);
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
            var answer = new EventAnswer(events[i].EventId, outcomes.MoveToImmutable());
            toStore.Add(new AnswerToStore(keys[i], answer, OpportunityCounting.Of(answer, [.. list.Select(m => m.HasScriptError)])));
        }

        CoachingMetrics.EventsReplayed.Add(events.Length - fresh.Count);
        var recorded = toStore.Count == 0 ? [] : await ledger.RecordAll(toStore);
        for (var n = 0; n < fresh.Count; n++)
        {
            var i = fresh[n];
            answers[i] = recorded[n].Answer;
            if (recorded[n].First)
            {
                Measure(recorded[n].Answer);
            }
            else
            {
                CoachingMetrics.EventsReplayed.Add(1);
            }
        }

        return [.. answers.Select(a => a!)];
    }

    /// <summary>The metrics of a first answer (the stats were counted with it as it was stored).</summary>
    private static void Measure(EventAnswer answer)
    {
        CoachingMetrics.EventsIngested.Add(1);
        foreach (var outcome in answer.Outcomes)
        {
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
}

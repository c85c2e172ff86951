using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Pipeline;

namespace Coaching.Opportunities;

/// <summary>One outcome of one first event answer, as an opportunity's stats count it.</summary>
public readonly record struct OutcomeCount(string OpportunityId, EventOutcome Outcome, bool ScriptError);

/// <summary>The outcome counts of one opportunity for one outcome, as stored.</summary>
public readonly record struct OutcomeTotal(EventOutcome Outcome, long Count, long ScriptErrors);

/// <summary>What the stored standings of one opportunity in one state add up to.</summary>
public readonly record struct StandingTotal(AssessmentState State, long Count, long Expiries, long Resolved, TimeSpan ResolveTimeTotal);

/// <summary>
/// How an opportunity's stats count, so that a silo dying at any moment loses no count and doubles none (SPEC A,
/// "Stats per opportunity"; docs/reliability.md, "Opportunity stats"). Nothing is counted in memory:
/// <list type="bullet">
/// <item>Outcome counts are written by the statement that stores an event's first answer (<see cref="IEventAnswers"/>),
/// in the same transaction: an answer is stored with its counts or not at all, and a replay, which finds the answer
/// stored, counts nothing.</item>
/// <item>Assessments by state, expiries and time to resolve come from one standing per assessment: the last report
/// (<see cref="AssessmentTransition"/>) of the highest revision. A report repeated, late or out of order changes
/// nothing (<see cref="Replaces"/>), so the sender may re-send whatever it is not sure was stored.</item>
/// </list>
/// </summary>
public static class OpportunityCounting
{
    public const string ExpiredAction = "expired";

    /// <summary>
    /// What a first answer adds: one count per outcome, with a script error when an assessment was created although
    /// its capture script failed. <paramref name="scriptErrors"/> is per outcome, in the answer's order.
    /// </summary>
    public static ImmutableArray<OutcomeCount> Of(EventAnswer answer, IReadOnlyList<bool> scriptErrors)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(scriptErrors);
        var counts = ImmutableArray.CreateBuilder<OutcomeCount>(answer.Outcomes.Length);
        for (var n = 0; n < answer.Outcomes.Length; n++)
        {
            var outcome = answer.Outcomes[n];
            var scriptError = outcome.Outcome == EventOutcome.Created && n < scriptErrors.Count && scriptErrors[n];
            counts.Add(new OutcomeCount(outcome.OpportunityId, outcome.Outcome, scriptError));
        }

        return counts.MoveToImmutable();
    }

    /// <summary>
    /// The report of step <paramref name="index"/> of the assessment's history: its standing as of that step. The
    /// revision is the step's position (the history only grows), so the same step always gives the same report.
    /// </summary>
    public static AssessmentTransition Standing(Assessment assessment, int index)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, assessment.History.Count);
        var step = assessment.History[index];
        var expiries = 0;
        for (var i = 0; i <= index; i++)
        {
            if (IsExpiry(assessment.History[i]))
            {
                expiries++;
            }
        }

        var timeToResolve = assessment.FirstResolvedAt is { } first && first <= step.At
            ? AssessmentLifecycle.TimeToResolve(assessment)
            : null;
        return new AssessmentTransition(assessment.Id, step.From, step.To, IsExpiry(step), timeToResolve, index + 1, expiries);
    }

    /// <summary>An expiry that changed the state (closing it); marking an assessment overdue is not one.</summary>
    public static bool IsExpiry(AssessmentHistoryEntry step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Action == ExpiredAction && step.From != step.To;
    }

    /// <summary>
    /// Whether <paramref name="report"/> replaces the stored standing <paramref name="storedRevision"/> (null: none
    /// stored). Only a higher revision does; a report without a revision (stored in an outbox before reports carried
    /// one) never does: the standings of those assessments were taken from their stored state when the table was made.
    /// </summary>
    public static bool Replaces(int? storedRevision, AssessmentTransition report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Revision > 0 && report.Revision > (storedRevision ?? 0);
    }

    /// <summary>The standings of one opportunity summed per state.</summary>
    public static IEnumerable<StandingTotal> Totals(IEnumerable<AssessmentTransition> standings)
    {
        ArgumentNullException.ThrowIfNull(standings);
        return standings
            .GroupBy(s => s.To)
            .Select(g => new StandingTotal(
                g.Key,
                g.LongCount(),
                g.Sum(s => (long)s.Expiries),
                g.LongCount(s => s.TimeToResolve is not null),
                g.Aggregate(TimeSpan.Zero, (total, s) => total + (s.TimeToResolve ?? TimeSpan.Zero))));
    }

    /// <summary>The stats as served, from the stored outcome totals and standing totals (either may list a key twice).</summary>
    public static OpportunityStats Stats(string opportunityId, IEnumerable<OutcomeTotal> outcomes, IEnumerable<StandingTotal> standings)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(standings);
        var byOutcome = new Dictionary<EventOutcome, long>();
        long matched = 0, scriptErrors = 0;
        foreach (var o in outcomes)
        {
            byOutcome[o.Outcome] = byOutcome.GetValueOrDefault(o.Outcome) + o.Count;
            matched += o.Count;
            scriptErrors += o.ScriptErrors;
        }

        var byState = new Dictionary<AssessmentState, long>();
        long expired = 0, resolved = 0;
        var resolveTime = TimeSpan.Zero;
        foreach (var s in standings)
        {
            byState[s.State] = byState.GetValueOrDefault(s.State) + s.Count;
            expired += s.Expiries;
            resolved += s.Resolved;
            resolveTime += s.ResolveTimeTotal;
        }

        return new OpportunityStats(
            opportunityId,
            matched,
            byOutcome.Where(p => p.Value != 0).ToImmutableDictionary(),
            byState.Where(p => p.Value != 0).ToImmutableDictionary(),
            expired,
            scriptErrors,
            resolved == 0 ? null : resolveTime / resolved);
    }
}

/// <summary>
/// Where an opportunity's stats are stored (<see cref="OpportunityCounting"/>): the standings, and reading both parts.
/// The outcome counts are written by the <see cref="IEventAnswers"/> of the same storage.
/// </summary>
public interface IOpportunityCounts
{
    /// <summary>Stores the report as the assessment's standing if it <see cref="OpportunityCounting.Replaces"/> the stored one. Durable when the task completes.</summary>
    Task Put(string opportunityId, AssessmentTransition report);

    Task<OpportunityStats> Read(string opportunityId);
}

/// <summary>
/// In-memory stats for the single in-memory silo (embedded mode, tests), shared with <see cref="InMemoryEventAnswers"/>
/// which counts each first answer as it stores it: gone with the process, like the answers and the grain state, but not
/// with any activation.
/// </summary>
public sealed class InMemoryOpportunityCounts : IOpportunityCounts
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<EventOutcome, OutcomeTotal>> outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, AssessmentTransition>> standings = new(StringComparer.Ordinal);

    /// <summary>Adds the counts of one first answer; called by the answer store as it stores the answer.</summary>
    public void Add(IEnumerable<OutcomeCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        lock (gate)
        {
            foreach (var c in counts)
            {
                if (!outcomes.TryGetValue(c.OpportunityId, out var totals))
                {
                    outcomes[c.OpportunityId] = totals = [];
                }

                var total = totals.GetValueOrDefault(c.Outcome, new OutcomeTotal(c.Outcome, 0, 0));
                totals[c.Outcome] = total with { Count = total.Count + 1, ScriptErrors = total.ScriptErrors + (c.ScriptError ? 1 : 0) };
            }
        }
    }

    public Task Put(string opportunityId, AssessmentTransition report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (gate)
        {
            if (!standings.TryGetValue(opportunityId, out var byAssessment))
            {
                standings[opportunityId] = byAssessment = new(StringComparer.Ordinal);
            }

            int? stored = byAssessment.TryGetValue(report.AssessmentId, out var known) ? known.Revision : null;
            if (OpportunityCounting.Replaces(stored, report))
            {
                byAssessment[report.AssessmentId] = report;
            }
        }

        return Task.CompletedTask;
    }

    public Task<OpportunityStats> Read(string opportunityId)
    {
        lock (gate)
        {
            return Task.FromResult(OpportunityCounting.Stats(
                opportunityId,
                outcomes.TryGetValue(opportunityId, out var totals) ? [.. totals.Values] : [],
                standings.TryGetValue(opportunityId, out var byAssessment) ? OpportunityCounting.Totals(byAssessment.Values).ToList() : []));
        }
    }
}

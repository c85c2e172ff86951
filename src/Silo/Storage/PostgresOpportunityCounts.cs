using System.Globalization;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Opportunities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace Coaching.Silo.Storage;

/// <summary>
/// An opportunity's stats in <c>coaching_assessment_stats</c> and <c>coaching_outcome_tallies</c>
/// (Sql/08-opportunity-stats.sql), each read or write one statement of the shared <see cref="PostgresBatcher"/>. The
/// tallies are written by <see cref="PostgresEventAnswers"/> with the answers; here they are only read and folded.
/// </summary>
public sealed partial class PostgresOpportunityCounts(
    PostgresBatcher batcher,
    IOptions<ClusterOptions> cluster,
    ILogger<PostgresOpportunityCounts> logger) : IOpportunityCounts
{
    /// <summary>A read that finds more tally rows than this for the opportunity folds them into one per outcome.</summary>
    public const int FoldAbove = 64;

    // Every statement returns a result set (RETURNING), even one nobody reads: the batcher reads one result per statement,
    // and a statement without one would hand the next statement's rows to the wrong caller.

    // The stored standing is replaced only from a higher revision (OpportunityCounting.Replaces).
    private const string PutSql =
        "INSERT INTO coaching_assessment_stats AS stored " +
        "(service_id, opportunity_id, assessment_id, revision, state, expiries, time_to_resolve_ticks) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7) " +
        "ON CONFLICT (service_id, opportunity_id, assessment_id) DO UPDATE " +
        "SET revision = excluded.revision, state = excluded.state, expiries = excluded.expiries, " +
        "time_to_resolve_ticks = excluded.time_to_resolve_ticks, modified_at = now() " +
        "WHERE stored.revision < excluded.revision " +
        "RETURNING true";

    private const string OutcomesSql =
        "SELECT outcome, sum(count)::bigint, sum(script_errors)::bigint, count(*)::bigint FROM coaching_outcome_tallies " +
        "WHERE service_id = $1 AND opportunity_id = $2 GROUP BY outcome";

    private const string StandingsSql =
        "SELECT state, count(*)::bigint, sum(expiries)::bigint, count(time_to_resolve_ticks)::bigint, coalesce(sum(time_to_resolve_ticks), 0)::bigint " +
        "FROM coaching_assessment_stats WHERE service_id = $1 AND opportunity_id = $2 GROUP BY state";

    // Deletes the rows it sees and inserts their sums in the same statement: a count is in exactly one row before and
    // after. Rows inserted meanwhile are not seen and stay; a fold running at the same time skips the rows this one took.
    private const string FoldSql =
        "WITH taken AS (DELETE FROM coaching_outcome_tallies WHERE service_id = $1 AND opportunity_id = $2 " +
        "RETURNING outcome, count, script_errors) " +
        "INSERT INTO coaching_outcome_tallies (service_id, opportunity_id, outcome, count, script_errors) " +
        "SELECT $1, $2, outcome, sum(count), sum(script_errors) FROM taken GROUP BY outcome " +
        "RETURNING true";

    private readonly string serviceId = cluster.Value.ServiceId;

    public Task Put(string opportunityId, AssessmentTransition report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return batcher.Run(
            new PostgresBatcher.Statement(PutSql, $"s\u0001{opportunityId}\u0001{report.AssessmentId}", serviceId, opportunityId, report.AssessmentId,
                report.Revision, report.To.ToString(), report.Expiries,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = report.TimeToResolve is { } t ? t.Ticks : DBNull.Value }),
            _ => true);
    }

    public async Task<OpportunityStats> Read(string opportunityId)
    {
        var outcomes = await batcher.Run(
            new PostgresBatcher.Statement(OutcomesSql, TallyLockKey(opportunityId), serviceId, opportunityId),
            rows => rows.Select(r => (
                Total: new OutcomeTotal(Enum.Parse<EventOutcome>((string)r[0]!), Long(r[1]), Long(r[2])),
                Rows: Long(r[3]))).ToList());
        var standings = await batcher.Run(
            new PostgresBatcher.Statement(StandingsSql, $"s\u0001{opportunityId}", serviceId, opportunityId),
            rows => rows.Select(r => new StandingTotal(
                Enum.Parse<AssessmentState>((string)r[0]!), Long(r[1]), Long(r[2]), Long(r[3]), TimeSpan.FromTicks(Long(r[4])))).ToList());

        if (outcomes.Sum(o => o.Rows) > FoldAbove)
        {
            try
            {
                await batcher.Run(new PostgresBatcher.Statement(FoldSql, TallyLockKey(opportunityId), serviceId, opportunityId), _ => true);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Folding only keeps reads short; the next read tries again.
                LogFoldFailed(e, opportunityId);
            }
        }

        return OpportunityCounting.Stats(opportunityId, outcomes.Select(o => o.Total), standings);
    }

    private static string TallyLockKey(string opportunityId) => $"t\u0001{opportunityId}";

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding the outcome counts of {OpportunityId} failed; the next read tries again")]
    private partial void LogFoldFailed(Exception e, string opportunityId);
}

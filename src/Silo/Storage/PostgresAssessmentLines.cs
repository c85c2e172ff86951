using Coaching.Assessments;
using Coaching.Assessments.Queues;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace Coaching.Silo.Storage;

/// <summary>
/// Queue lines in <c>coaching_assessment_lines</c> (Sql/06-assessment-lines.sql), one row per queue and assessment,
/// each read or write a statement of the shared <see cref="PostgresBatcher"/>. A row whose line is NULL records that
/// the assessment was taken off the queue at that revision.
/// </summary>
public sealed class PostgresAssessmentLines(PostgresBatcher batcher, IOptions<ClusterOptions> cluster) : IAssessmentLines
{
    private const string LoadSql =
        "SELECT line FROM coaching_assessment_lines WHERE service_id = $1 AND queue_key = $2 AND line IS NOT NULL";

    private const string FindSql =
        "SELECT line FROM coaching_assessment_lines WHERE service_id = $1 AND queue_key = $2 AND assessment_id = $3";

    // The stored row is replaced only by one of the same or a higher revision; RETURNING answers whether it was.
    private const string WriteSql =
        "INSERT INTO coaching_assessment_lines AS stored (service_id, queue_key, assessment_id, revision, created_at, line) " +
        "VALUES ($1, $2, $3, $4, $5, $6) " +
        "ON CONFLICT (service_id, queue_key, assessment_id) DO UPDATE " +
        "SET revision = excluded.revision, created_at = excluded.created_at, line = excluded.line, modified_at = now() " +
        "WHERE stored.revision <= excluded.revision " +
        "RETURNING true";

    private readonly string serviceId = cluster.Value.ServiceId;

    public Task<IReadOnlyList<AssessmentSummary>> Load(string queueKey) =>
        batcher.Run(
            new PostgresBatcher.Statement(LoadSql, $"q\u0001{queueKey}", serviceId, queueKey),
            rows => (IReadOnlyList<AssessmentSummary>)[.. rows.Select(r => Read((string)r[0]!))]);

    public Task<AssessmentSummary?> Put(string queueKey, AssessmentSummary line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Write(queueKey, line.Id, line.Revision, line);
    }

    public Task<AssessmentSummary?> Remove(string queueKey, string assessmentId, int revision) =>
        Write(queueKey, assessmentId, revision, null);

    private async Task<AssessmentSummary?> Write(string queueKey, string assessmentId, int revision, AssessmentSummary? line)
    {
        var lockKey = LockKey(queueKey, assessmentId);
        var written = await batcher.Run(
            new PostgresBatcher.Statement(WriteSql, lockKey, serviceId, queueKey, assessmentId, revision,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = line is null ? DBNull.Value : line.CreatedAt.ToUniversalTime() },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = line is null ? DBNull.Value : StoredJson.Write(line) }),
            rows => rows.Count == 1);
        if (written)
        {
            return line;
        }

        // A newer revision is stored: that is what the queue shows. (A new statement, so it sees the row even when
        // another transaction committed it while this one waited on its lock.)
        return await batcher.Run(
            new PostgresBatcher.Statement(FindSql, lockKey, serviceId, queueKey, assessmentId),
            rows => rows.Count == 1 && rows[0][0] is string json ? Read(json) : null);
    }

    private static string LockKey(string queueKey, string assessmentId) => $"q\u0001{queueKey}\u0001{assessmentId}";

    private static AssessmentSummary Read(string json) => StoredJson.Read<AssessmentSummary>(json);
}

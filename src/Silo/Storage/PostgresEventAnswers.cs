using System.Globalization;
using Coaching.Pipeline;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Coaching.Silo.Storage;

/// <summary>
/// First answers in <c>coaching_event_answers</c> (Sql/05-event-answers.sql), one row per event. A lookup, and the
/// answers of one request (one event or a batch), are each one statement of the shared <see cref="PostgresBatcher"/>.
/// The primary key decides which answer is first, and the same statement adds the counts of the answers it stored, and
/// only of those, to <c>coaching_outcome_tallies</c> (Sql/08-opportunity-stats.sql): an answer and its counts commit
/// together or not at all, so the stats count each first answer exactly once whatever dies when.
/// </summary>
public sealed class PostgresEventAnswers(PostgresBatcher batcher, IOptions<ClusterOptions> cluster) : IEventAnswers
{
    private const string FindSql = "SELECT answer FROM coaching_event_answers WHERE service_id = $1 AND event_key = $2";

    // Input keys are distinct (repeats are folded before). Rows go in key order, so two such statements meeting on the
    // same keys wait for each other in the same order. Each input row comes back as
    // added, or with the answer stored before this statement began, or with none: stored by a transaction that
    // committed since (a new statement sees it).
    private const string RecordAllSql =
        "WITH input AS (SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS i(event_key, answer, n)), " +
        "added AS (INSERT INTO coaching_event_answers (service_id, event_key, answer) " +
        "SELECT $1, event_key, answer FROM input ORDER BY event_key ON CONFLICT DO NOTHING RETURNING event_key), " +
        // The counts of the added answers only, one row per opportunity and outcome, inserted (never updated: no row
        // that concurrent statements would wait on). Runs although the query below does not read it.
        "counted AS (INSERT INTO coaching_outcome_tallies (service_id, opportunity_id, outcome, count, script_errors) " +
        "SELECT $1, c.opportunity_id, c.outcome, count(*), count(*) FILTER (WHERE c.script_error) " +
        "FROM unnest($4::bigint[], $5::text[], $6::text[], $7::boolean[]) AS c(n, opportunity_id, outcome, script_error) " +
        "JOIN input i ON i.n = c.n JOIN added a ON a.event_key = i.event_key GROUP BY c.opportunity_id, c.outcome) " +
        "SELECT i.n, NULL::text, true FROM input i JOIN added a ON a.event_key = i.event_key " +
        // A sub-select per key not added: one index probe each. (A join here lets the planner scan the whole table.)
        "UNION ALL SELECT i.n, (SELECT s.answer FROM coaching_event_answers s WHERE s.service_id = $1 AND s.event_key = i.event_key), false " +
        "FROM input i WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.event_key = i.event_key)";

    private readonly string serviceId = cluster.Value.ServiceId;

    public Task<EventAnswer?> Find(string eventKey) =>
        batcher.Run(
            new PostgresBatcher.Statement(FindSql, LockKey(eventKey), serviceId, eventKey),
            rows => rows.Count == 0 ? null : Read((string)rows[0][0]!));

    public async Task<RecordedAnswer[]> RecordAll(IReadOnlyList<AnswerToStore> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);

        // A key repeated within the call is stored from its first occurrence only.
        var firstAt = new Dictionary<string, int>(answers.Count, StringComparer.Ordinal);
        var distinct = new List<int>(answers.Count);
        for (var i = 0; i < answers.Count; i++)
        {
            if (firstAt.TryAdd(answers[i].EventKey, i))
            {
                distinct.Add(i);
            }
        }

        var keys = distinct.Select(i => answers[i].EventKey).ToArray();
        var bodies = distinct.Select(i => StoredJson.Write(answers[i].Answer)).ToArray();
        var counts = distinct.SelectMany((i, n) => (answers[i].Counts.IsDefault ? [] : answers[i].Counts).Select(c => (N: n + 1L, Count: c))).ToList();
        var outcome = await batcher.Run(
            new PostgresBatcher.Statement(RecordAllSql, LockKey(keys.Min(StringComparer.Ordinal)!), serviceId, keys, bodies,
                counts.Select(c => c.N).ToArray(),
                counts.Select(c => c.Count.OpportunityId).ToArray(),
                counts.Select(c => c.Count.Outcome.ToString()).ToArray(),
                counts.Select(c => c.Count.ScriptError).ToArray()),
            rows => rows.ToDictionary(
                r => (int)Convert.ToInt64(r[0], CultureInfo.InvariantCulture) - 1,
                r => (Added: (bool)r[2]!, Stored: r[1] is string json ? Read(json) : null)));

        var recorded = new RecordedAnswer[answers.Count];
        for (var n = 0; n < distinct.Count; n++)
        {
            var i = distinct[n];
            var (added, storedBefore) = outcome[n];
            recorded[i] = added
                ? new RecordedAnswer(answers[i].Answer, First: true)
                : new RecordedAnswer(
                    storedBefore ?? await Find(answers[i].EventKey) ?? throw new InvalidOperationException($"Event {answers[i].EventKey}: neither stored nor found."),
                    First: false);
        }

        for (var i = 0; i < answers.Count; i++)
        {
            recorded[i] ??= new RecordedAnswer(recorded[firstAt[answers[i].EventKey]].Answer, First: false);
        }

        return recorded;
    }

    private static string LockKey(string eventKey) => $"e\u0001{eventKey}";

    private static EventAnswer Read(string json) => StoredJson.Read<EventAnswer>(json);
}

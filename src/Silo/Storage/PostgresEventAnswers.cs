using System.Text.Json;
using Coaching.Pipeline;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Coaching.Silo.Storage;

/// <summary>
/// First answers in <c>coaching_event_answers</c> (Sql/05-event-answers.sql), one row per event, each read or insert a
/// statement of the shared <see cref="PostgresBatcher"/>. The primary key decides which answer is first.
/// </summary>
public sealed class PostgresEventAnswers(PostgresBatcher batcher, IOptions<ClusterOptions> cluster) : IEventAnswers
{
    private const string FindSql = "SELECT answer FROM coaching_event_answers WHERE service_id = $1 AND event_key = $2";

    // The outer SELECT does not see the row the CTE inserts, so it answers only for an answer stored before.
    private const string RecordSql =
        "WITH added AS (INSERT INTO coaching_event_answers (service_id, event_key, answer) VALUES ($1, $2, $3) " +
        "ON CONFLICT DO NOTHING RETURNING answer) " +
        "SELECT answer, true FROM added " +
        "UNION ALL SELECT answer, false FROM coaching_event_answers " +
        "WHERE service_id = $1 AND event_key = $2 AND NOT EXISTS (SELECT 1 FROM added)";

    private readonly string serviceId = cluster.Value.ServiceId;

    public Task<EventAnswer?> Find(string eventKey) =>
        batcher.Run(
            new PostgresBatcher.Statement(FindSql, LockKey(eventKey), serviceId, eventKey),
            rows => rows.Count == 0 ? null : Read((string)rows[0][0]!));

    public async Task<RecordedAnswer> Record(string eventKey, EventAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var recorded = await batcher.Run(
            new PostgresBatcher.Statement(RecordSql, LockKey(eventKey), serviceId, eventKey, JsonSerializer.Serialize(answer, StoredJson.Options)),
            rows => rows.Count == 0 ? null : new RecordedAnswer((bool)rows[0][1]! ? answer : Read((string)rows[0][0]!), (bool)rows[0][1]!));
        if (recorded is not null)
        {
            return recorded;
        }

        // Another transaction stored it after this statement's snapshot was taken (the insert waited for it to
        // commit): a new statement sees it.
        return new RecordedAnswer(
            await Find(eventKey) ?? throw new InvalidOperationException($"Event {eventKey}: neither stored nor found."),
            First: false);
    }

    private static string LockKey(string eventKey) => $"e\u0001{eventKey}";

    private static EventAnswer Read(string json) =>
        JsonSerializer.Deserialize<EventAnswer>(json, StoredJson.Options) ?? throw new InvalidOperationException("An empty event answer was stored.");
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Coaching.Reliability.Tests.Harness;
using Coaching.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Coaching.Reliability.Tests;

/// <summary>
/// Two silo processes and an API process; a client streams events with retries by event id while one silo is
/// killed with SIGKILL and later restarted. Every event ends with a success answer, and the assessments those
/// answers created are exactly the ones the API lists and PostgreSQL holds: none missing, none duplicated; and the
/// opportunity's stats count exactly those first answers and those assessments' states, nothing lost with the silo and
/// nothing counted twice by the retries.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SiloKilledUnderLoadTests(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>Events to send; 2,000 by default (CI), e.g. 20000 for the full run.</summary>
    public const string EventsVariable = "COACHING_RELIABILITY_EVENTS";

    private const int Trainees = 500;
    private const int MatchEvery = 4;
    private const string Table = "rel-incident";
    private const string PreviousAssignee = "rel-prev";

    [Fact]
    public async Task Every_answered_event_is_reflected_exactly_once_after_a_silo_is_killed_under_load()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable(EventsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2_000;
        // Sending is paced so the kill and the restart land in the middle of the stream.
        var spread = TimeSpan.FromSeconds(Math.Clamp(total / 50.0, 30, 240));
        var clock = Stopwatch.StartNew();
        var database = await postgres.CreateDatabaseAsync("silo_kill");
        using var cluster = new ProcessCluster(database, "kill-" + Guid.NewGuid().ToString("N")[..8], TimeSpan.FromSeconds(5));
        output.WriteLine($"logs: {cluster.LogFolder}");
        try
        {
            await cluster.StartAllAsync();
            output.WriteLine($"cluster ready after {clock.Elapsed.TotalSeconds:F1} s");

            using var admin = cluster.Admin();
            var trainees = Enumerable.Range(0, Trainees).Select(i => $"rel-t{i:D3}").ToArray();
            await Seeding.PutUsersAsync(admin, [.. trainees, PreviousAssignee, "rel-coach-a", "rel-coach-b"]);
            await Seeding.PutGroupAsync(admin, "rel-coaches", ["rel-coach-a", "rel-coach-b"]);
            var opportunity = await Seeding.CreateOpportunityAsync(admin, Table, "rel-coaches", "P5D", closeOnExpiry: true);

            var ids = Enumerable.Range(0, total).Select(i => $"rel-evt-{i:D6}").ToArray();
            var matching = Enumerable.Range(0, total).Select(i => i % MatchEvery == 0).ToArray();
            var events = Enumerable.Range(0, total)
                .Select(i => Seeding.Event(ids[i], Table, trainees[i % Trainees], matching[i], PreviousAssignee)).ToArray();
            using var integration = cluster.Integration(TimeSpan.FromSeconds(15));
            var victim = cluster.Silos[0];
            // Only the victim may be down: any other process exiting fails the test at once, not at the deadline.
            var sender = new EventSender(integration, events, ids, () =>
                cluster.All.Where(p => p != victim && !p.Running).Select(p => $"{p.Name} exited unexpectedly").FirstOrDefault());

            var loadStarted = clock.Elapsed;
            var faults = Task.Run(async () =>
            {
                await Task.Delay(spread * 0.35);
                victim.Kill();
                output.WriteLine($"SIGKILL {victim.Name} at {clock.Elapsed.TotalSeconds:F1} s, {sender.Answered} events answered");
                await Task.Delay(spread * 0.3);
                victim.Start();
                output.WriteLine($"restarted {victim.Name} at {clock.Elapsed.TotalSeconds:F1} s, {sender.Answered} events answered");
            });
            var sending = sender.SendAllAsync(workers: 8, batchSize: 20, spread, giveUpAt: DateTime.UtcNow + spread + TimeSpan.FromMinutes(total > 5_000 ? 8 : 3));
            await Task.WhenAll(sending, faults);
            var loadTime = clock.Elapsed - loadStarted;
            await cluster.WaitReadyAsync(TimeSpan.FromSeconds(60));
            Assert.True(victim.Running, $"{victim.Name} did not stay up after its restart:\n{victim.Tail()}");

            // Every event has a success answer; matching ones created exactly one assessment each.
            Assert.Equal(total, sender.Answers.Count);
            Assert.Empty(sender.Disagreements);
            var expected = new List<string>();
            for (var i = 0; i < total; i++)
            {
                var outcomes = JsonDocument.Parse(sender.Answers[ids[i]]).RootElement.EnumerateArray().ToList();
                if (!matching[i])
                {
                    Assert.True(outcomes.Count == 0, $"{ids[i]} does not match, yet: {sender.Answers[ids[i]]}");
                    continue;
                }

                Assert.True(outcomes.Count == 1 && outcomes[0].GetProperty("outcome").GetString() == "created"
                    && outcomes[0].GetProperty("opportunityId").GetString() == opportunity,
                    $"{ids[i]} matches, yet: {sender.Answers[ids[i]]}");
                expected.Add(outcomes[0].GetProperty("assessmentId").GetString()!);
            }

            var expectedSet = expected.ToHashSet(StringComparer.Ordinal);
            Assert.Equal(expected.Count, expectedSet.Count); // no assessment id handed out twice

            // (a) Through the API: each trainee's list, and each assessment by id.
            var listed = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(trainees, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (trainee, _) =>
            {
                foreach (var id in await Seeding.WithRetriesAsync(() => Seeding.TraineeAssessmentIdsAsync(admin, trainee), TimeSpan.FromSeconds(60)))
                {
                    listed.Add(id);
                }
            });
            var listedIds = listed.ToList();
            Assert.Equal(listedIds.Count, listedIds.Distinct(StringComparer.Ordinal).Count());
            var missingInLists = expectedSet.Except(listedIds, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var extraInLists = listedIds.Except(expectedSet, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            Assert.True(missingInLists.Count == 0 && extraInLists.Count == 0,
                $"trainee lists: {listedIds.Count} ids, expected {expectedSet.Count}; missing {missingInLists.Count}: {string.Join(", ", missingInLists.Take(10))}; " +
                $"extra {extraInLists.Count}: {string.Join(", ", extraInLists.Take(10))}");

            var readable = 0;
            var states = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(Enumerable.Range(0, total).Where(i => matching[i]), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
            {
                var id = JsonDocument.Parse(sender.Answers[ids[i]]).RootElement[0].GetProperty("assessmentId").GetString()!;
                var body = await Seeding.WithRetriesAsync(async () => await (await admin.GetAsync(new Uri($"/v1/assessments/{id}", UriKind.Relative))).Expect(HttpStatusCode.OK), TimeSpan.FromSeconds(60));
                Assert.Equal(ids[i], body.GetProperty("source").GetProperty("eventId").GetString());
                Assert.Equal(trainees[i % Trainees], body.GetProperty("trainee").GetString());
                states.AddOrUpdate(body.GetProperty("state").GetString()!, 1, (_, count) => count + 1);
                Interlocked.Increment(ref readable);
            });
            Assert.Equal(expected.Count, readable);

            // (b) In PostgreSQL: one 'assessment' state row per expected id, no other.
            var stored = await StoredAssessmentIdsAsync(database);
            Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
            var missingInDb = expectedSet.Except(stored, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var extraInDb = stored.Except(expectedSet, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            Assert.True(missingInDb.Count == 0 && extraInDb.Count == 0,
                $"'assessment' rows: {stored.Count}, expected {expectedSet.Count}; missing {missingInDb.Count}: {string.Join(", ", missingInDb.Take(10))}; " +
                $"extra {extraInDb.Count}: {string.Join(", ", extraInDb.Take(10))}\n" +
                await RowsMentioningAsync(database, missingInDb.Concat(extraInDb).Take(5)) + "\n" +
                string.Join("\n", missingInDb.Take(5).Select(id => $"{id}: event {ids.FirstOrDefault(e => sender.Answers[e].Contains(id, StringComparison.Ordinal))}")));

            // (c) The opportunity's stats: exactly the first answers' outcomes, and the states GET answered, read at once
            // (counts are stored with the answers and reports, not sent later). Read again after the replay below.
            var stats = await StatsAsync(admin, opportunity);
            AssertStatsMatch(stats, expected.Count, states, "after the load");

            // Replays of every event id return the first answer.
            var replayClock = Stopwatch.StartNew();
            var differing = await sender.ReplayAllAsync(workers: 4, batchSize: 100, DateTime.UtcNow + TimeSpan.FromMinutes(5));
            Assert.True(differing.Count == 0, $"{differing.Count} replays differ, e.g. {string.Join(", ", differing.Take(5))}");
            AssertStatsMatch(await StatsAsync(admin, opportunity), expected.Count, states, "after the replay");

            var summary = $"events={total} matching={expected.Count} answered={sender.Answers.Count} requests={sender.Requests} " +
                $"failedRequests={sender.FailedRequests} retriedEventSends={sender.RetriedEvents} " +
                $"failures=[{string.Join(", ", sender.FailureKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {k.Value}"))}] " +
                $"expectedAssessments={expectedSet.Count} viaApiList={listedIds.Count} viaApiGet={readable} inDb={stored.Count} " +
                $"stats=[matched {stats.GetProperty("eventsMatched").GetInt64()}, created {stats.GetProperty("outcomes").GetProperty("created").GetInt64()}, " +
                $"{string.Join(", ", stats.GetProperty("assessmentsByState").EnumerateObject().Where(p => p.Value.GetInt64() != 0).Select(p => $"{p.Name} {p.Value.GetInt64()}"))}] " +
                $"loadSeconds={loadTime.TotalSeconds:F1} replaySeconds={replayClock.Elapsed.TotalSeconds:F1} totalSeconds={clock.Elapsed.TotalSeconds:F1}";
            output.WriteLine(summary);
            await RunResults.AppendAsync("kill-9", summary);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{cluster.Diagnostics()}", e);
        }
        finally
        {
            await StopQuietlyAsync(cluster);
        }
    }

    private static async Task<JsonElement> StatsAsync(HttpClient admin, string opportunity) =>
        await Seeding.WithRetriesAsync(
            async () => await (await admin.GetAsync(new Uri($"/v1/opportunities/{opportunity}/stats", UriKind.Relative))).Expect(HttpStatusCode.OK),
            TimeSpan.FromSeconds(60));

    /// <summary>
    /// Every matching event was answered <c>created</c> once and every other one matched nothing: matched and created
    /// equal the assessments, no other outcome; by state, the counts of the states their GET answered.
    /// </summary>
    private static void AssertStatsMatch(JsonElement stats, int created, IReadOnlyDictionary<string, long> states, string when)
    {
        var outcomes = stats.GetProperty("outcomes").EnumerateObject().Where(p => p.Value.GetInt64() != 0).ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        var byState = stats.GetProperty("assessmentsByState").EnumerateObject().Where(p => p.Value.GetInt64() != 0).ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        var expectedStates = states.Where(p => p.Value != 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.True(
            stats.GetProperty("eventsMatched").GetInt64() == created
            && outcomes.Count == 1 && outcomes.GetValueOrDefault("created") == created
            && byState.Count == expectedStates.Count && byState.All(p => expectedStates.GetValueOrDefault(p.Key) == p.Value)
            && stats.GetProperty("scriptErrors").GetInt64() == 0 && stats.GetProperty("expired").GetInt64() == 0,
            $"stats {when}: expected {created} matched and created, by state {string.Join(", ", expectedStates.Select(p => $"{p.Key} {p.Value}"))}; got {stats}");
    }

    internal static async Task StopQuietlyAsync(ProcessCluster cluster)
    {
        try
        {
            await cluster.StopAllAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Dispose kills whatever is left.
        }
    }

    /// <summary>The assessment ids of the 'assessment' state rows (the id inside each row's JSON payload).</summary>
    internal static async Task<List<string>> StoredAssessmentIdsAsync(string database)
    {
        var ids = new List<string>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_grain_state WHERE state_name = 'assessment' AND payload IS NOT NULL", connection);
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var json = JsonDocument.Parse(reader.GetString(0));
            var assessment = Property(json.RootElement, "Assessment");
            if (assessment is { ValueKind: JsonValueKind.Object } a && Property(a, "Id") is { ValueKind: JsonValueKind.String } id)
            {
                ids.Add(id.GetString()!);
            }
        }

        return ids;
    }

    /// <summary>Every state row whose key or payload mentions one of the ids, for failure messages.</summary>
    internal static async Task<string> RowsMentioningAsync(string database, IEnumerable<string> ids)
    {
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var id in ids)
        {
            await using var query = new NpgsqlCommand(
                "SELECT state_name, grain_id_extension, version, modified_at, left(convert_from(payload, 'UTF8'), 400) FROM orleans_grain_state " +
                "WHERE grain_id_extension LIKE '%' || @id || '%' OR convert_from(payload, 'UTF8') LIKE '%' || @id || '%'", connection);
            query.Parameters.AddWithValue("id", id);
            await using var reader = await query.ExecuteReaderAsync();
            var found = 0;
            while (await reader.ReadAsync())
            {
                found++;
                lines.Add($"{id}: row {reader.GetString(0)} key={(reader.IsDBNull(1) ? "null" : reader.GetString(1))} v{reader.GetInt32(2)} at {reader.GetDateTime(3):O}: {(reader.IsDBNull(4) ? "null" : reader.GetString(4))}");
            }

            if (found == 0)
            {
                lines.Add($"{id}: no row mentions it");
            }
        }

        return string.Join("\n", lines);
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;
}

using Coaching.Moments;
using Coaching.Pipeline;
using Coaching.Silo.Schema;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Coaching.Durable.Tests.Pipeline;

[Collection(PostgresCollection.Name)]
public sealed class EventAnswerStoreTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_first_answer_stored_wins_and_every_later_one_gets_it_back()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "answers_first");
        await using var batcher = Database.Batcher(database);
        var answers = new PostgresEventAnswers(batcher, Database.Service("answers"));

        Assert.Null(await answers.Find("k-1"));
        var first = Answer("evt-1", new OpportunityOutcome("COP0001001", EventOutcome.Created, "A-1"));
        var stored = await answers.Record("k-1", first);
        Assert.True(stored.First);
        Assert.Same(first, stored.Answer);

        var later = await answers.Record("k-1", Answer("evt-1", new OpportunityOutcome("COP0001001", EventOutcome.SampledOut)));
        Assert.False(later.First);
        Assert.Equal(first.Outcomes.ToArray(), later.Answer.Outcomes.ToArray());
        Assert.Equal(first.Outcomes.ToArray(), (await answers.Find("k-1"))!.Outcomes.ToArray());

        // An empty answer (nothing matched) is an answer too.
        Assert.True((await answers.Record("k-2", Answer("evt-2"))).First);
        Assert.Empty((await answers.Find("k-2"))!.Outcomes);
    }

    [Fact]
    public async Task Concurrent_first_answers_to_one_event_agree_on_exactly_one()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "answers_race");
        // Two batchers: two silos racing on the same event, in separate transactions.
        await using var left = Database.Batcher(database);
        await using var right = Database.Batcher(database);
        var cluster = Database.Service("answers");
        var stores = new[] { new PostgresEventAnswers(left, cluster), new PostgresEventAnswers(right, cluster) };

        for (var round = 0; round < 20; round++)
        {
            var key = $"race-{round}";
            var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                stores[i % 2].Record(key, Answer($"evt-{round}", new OpportunityOutcome("COP0001001", EventOutcome.Created, $"A-{i}")))));

            Assert.Single(results, r => r.First);
            Assert.Single(results.Select(r => r.Answer.Outcomes[0].AssessmentId).Distinct());
        }
    }

    [Fact]
    public async Task Answers_recorded_many_at_once_keep_first_answers_in_input_order()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "answers_many");
        await using var batcher = Database.Batcher(database);
        var answers = new PostgresEventAnswers(batcher, Database.Service("answers"));
        var earlier = Answer("evt-b", new OpportunityOutcome("COP0001001", EventOutcome.SampledOut));
        await answers.Record("k-b", earlier);

        var recorded = await answers.RecordAll(
        [
            ("k-c", Answer("evt-c")),
            ("k-b", Answer("evt-b", new OpportunityOutcome("COP0001001", EventOutcome.Created, "A-b"))),
            ("k-a", Answer("evt-a", new OpportunityOutcome("COP0001001", EventOutcome.NoTrainee))),
            ("k-c", Answer("evt-c", new OpportunityOutcome("COP0001001", EventOutcome.Created, "A-c"))),
        ]);

        Assert.Equal([true, false, true, false], recorded.Select(r => r.First));
        Assert.Empty(recorded[0].Answer.Outcomes);
        Assert.Equal(earlier.Outcomes.ToArray(), recorded[1].Answer.Outcomes.ToArray());
        Assert.Equal(EventOutcome.NoTrainee, recorded[2].Answer.Outcomes[0].Outcome);
        Assert.Empty(recorded[3].Answer.Outcomes);
        Assert.Empty((await answers.Find("k-c"))!.Outcomes);
    }

    [Fact]
    public async Task Overlapping_batches_from_two_silos_store_each_event_once()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "answers_many_race");
        await using var left = Database.Batcher(database);
        await using var right = Database.Batcher(database);
        var cluster = Database.Service("answers");
        var stores = new[] { new PostgresEventAnswers(left, cluster), new PostgresEventAnswers(right, cluster) };

        // Eight callers, each a batch of 200 over the same 300 keys in its own order, by its own assessment id.
        var calls = Enumerable.Range(0, 8).Select(c =>
        {
            var keys = Enumerable.Range(0, 300).OrderBy(k => (k * 7919 + c * 104729) % 300).Take(200).ToList();
            return (Keys: keys, Task: stores[c % 2].RecordAll([.. keys.Select(k => ($"many-{k}", Answer($"evt-{k}", new OpportunityOutcome("COP0001001", EventOutcome.Created, $"A-{c}")))) ]));
        }).ToList();
        await Task.WhenAll(calls.Select(c => c.Task));

        var byKey = calls.SelectMany(c => c.Keys.Zip(c.Task.Result)).GroupBy(p => p.First);
        foreach (var key in byKey)
        {
            Assert.Single(key, p => p.Second.First);
            Assert.Single(key.Select(p => p.Second.Answer.Outcomes[0].AssessmentId).Distinct());
            Assert.Equal(key.Single(p => p.Second.First).Second.Answer.Outcomes[0].AssessmentId, (await stores[0].Find($"many-{key.Key}"))!.Outcomes[0].AssessmentId);
        }
    }

    [Fact]
    public async Task Answers_stored_as_event_record_grain_state_move_to_their_table_on_upgrade()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "answers_upgrade");
        // As the earlier design stored it: the grain state (PascalCase JSON, enum as number) of an event-record grain.
        await EarlierGrainState.InsertAsync(database, "answers", "event-record", "4:intg:evt-9",
            """{"Answer":{"EventId":"evt-9","Outcomes":[{"OpportunityId":"COP0001001","Outcome":0,"AssessmentId":"A-9"}]}}""");

        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);

        await using var batcher = Database.Batcher(database);
        var answers = new PostgresEventAnswers(batcher, Database.Service("answers"));
        var moved = await answers.Find("4:intg:evt-9");
        Assert.NotNull(moved);
        Assert.Equal("evt-9", moved.EventId);
        Assert.Equal(new OpportunityOutcome("COP0001001", (EventOutcome)0, "A-9"), Assert.Single(moved.Outcomes));
    }

    [Fact]
    public async Task Retention_deletes_answers_older_than_it_and_keeps_the_rest()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "answers_retention");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO coaching_event_answers (service_id, event_key, answer, recorded_at) " +
                "SELECT 'answers', 'old-' || n, '{}', now() - interval '40 days' FROM generate_series(1, 25000) n " +
                "UNION ALL SELECT 'answers', 'recent-' || n, '{}', now() - interval '29 days' FROM generate_series(1, 300) n " +
                "UNION ALL SELECT 'other-service', 'old-' || n, '{}', now() - interval '40 days' FROM generate_series(1, 200) n", connection);
            await insert.ExecuteNonQueryAsync();
        }

        var retention = new EventAnswerRetention(database, "answers", TimeSpan.FromDays(30), NullLogger<EventAnswerRetention>.Instance);

        // Another silo cleaning (holding the lock): this one leaves it alone.
        await using (var other = new NpgsqlConnection(database))
        {
            await other.OpenAsync();
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(18417315689624179)", other))
            {
                await take.ExecuteNonQueryAsync();
            }

            Assert.Null(await retention.RunOnce(CancellationToken.None));
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(18417315689624179)", other);
            await release.ExecuteNonQueryAsync();
        }

        Assert.Equal(25_000L, await retention.RunOnce(CancellationToken.None));
        Assert.Equal(0L, await retention.RunOnce(CancellationToken.None));
        await using var count = new NpgsqlConnection(database);
        await count.OpenAsync();
        await using var left = new NpgsqlCommand(
            "SELECT service_id || ':' || split_part(event_key, '-', 1), count(*) FROM coaching_event_answers GROUP BY 1 ORDER BY 1", count);
        var rows = new List<string>();
        await using (var reader = await left.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetString(0)}={reader.GetInt64(1)}");
            }
        }

        Assert.Equal(["answers:recent=300", "other-service:old=200"], rows);
    }

    private static EventAnswer Answer(string eventId, params OpportunityOutcome[] outcomes) => new(eventId, [.. outcomes]);
}

using System.Collections.Immutable;
using Coaching.Moments;
using Coaching.Pipeline;
using Coaching.Silo.Schema;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Coaching.Durable.Tests.Pipeline;

[Collection(PostgresCollection.Name)]
public sealed class EventAnswerStoreTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_first_answer_stored_wins_and_every_later_one_gets_it_back()
    {
        var database = await postgres.CreateDatabaseAsync("answers_first");
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        await using var batcher = new PostgresBatcher(PostgresBatcher.CreateDataSource(database), NullLogger<PostgresBatcher>.Instance);
        var answers = new PostgresEventAnswers(batcher, Options.Create(new ClusterOptions { ServiceId = "answers" }));

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
        var database = await postgres.CreateDatabaseAsync("answers_race");
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        // Two batchers: two silos racing on the same event, in separate transactions.
        await using var left = new PostgresBatcher(PostgresBatcher.CreateDataSource(database), NullLogger<PostgresBatcher>.Instance);
        await using var right = new PostgresBatcher(PostgresBatcher.CreateDataSource(database), NullLogger<PostgresBatcher>.Instance);
        var cluster = Options.Create(new ClusterOptions { ServiceId = "answers" });
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
    public async Task Answers_stored_as_event_record_grain_state_move_to_their_table_on_upgrade()
    {
        var database = await postgres.CreateDatabaseAsync("answers_upgrade");
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        // As the earlier design stored it: the grain state (PascalCase JSON, enum as number) of an event-record grain.
        await EarlierGrainState.InsertAsync(database, "answers", "event-record", "4:intg:evt-9",
            """{"Answer":{"EventId":"evt-9","Outcomes":[{"OpportunityId":"COP0001001","Outcome":0,"AssessmentId":"A-9"}]}}""");

        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);

        await using var batcher = new PostgresBatcher(PostgresBatcher.CreateDataSource(database), NullLogger<PostgresBatcher>.Instance);
        var answers = new PostgresEventAnswers(batcher, Options.Create(new ClusterOptions { ServiceId = "answers" }));
        var moved = await answers.Find("4:intg:evt-9");
        Assert.NotNull(moved);
        Assert.Equal("evt-9", moved.EventId);
        Assert.Equal(new OpportunityOutcome("COP0001001", (EventOutcome)0, "A-9"), Assert.Single(moved.Outcomes));
    }

    private static EventAnswer Answer(string eventId, params OpportunityOutcome[] outcomes) => new(eventId, [.. outcomes]);
}

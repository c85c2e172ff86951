using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Pipeline;
using Coaching.Silo.Schema;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Coaching.Durable.Tests.Opportunities;

[Collection(PostgresCollection.Name)]
public sealed class OpportunityCountsStoreTests(PostgresServer postgres)
{
    private const string Opportunity = "COP0001001";

    [Fact]
    public async Task Concurrent_and_repeated_answers_count_each_first_answer_once_and_folding_keeps_every_count()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "stats_answers");
        // Two batchers: two silos storing answers at once, each request sent twice (a retry after an unknown outcome).
        await using var left = Database.Batcher(database);
        await using var right = Database.Batcher(database);
        var service = Database.Service("stats");
        var stores = new[] { new PostgresEventAnswers(left, service), new PostgresEventAnswers(right, service) };
        var counts = new PostgresOpportunityCounts(left, service, NullLogger<PostgresOpportunityCounts>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async r =>
        {
            var request = Enumerable.Range(r * 5, 5).Select(e => ToStore(e)).ToList();
            await stores[r % 2].RecordAll(request);
            await stores[(r + 1) % 2].RecordAll(request);
        }));

        var stats = await counts.Read(Opportunity); // more than FoldAbove rows: this read folds them
        var again = await counts.Read(Opportunity);

        // 1,000 events: every 3rd sampled out, the others created, every 10th created one with a script error.
        var created = Enumerable.Range(0, 1000).Count(e => e % 3 != 0);
        foreach (var s in new[] { stats, again })
        {
            Assert.Equal(1000, s.EventsMatched);
            Assert.Equal(created, s.Outcomes[EventOutcome.Created]);
            Assert.Equal(1000 - created, s.Outcomes[EventOutcome.SampledOut]);
            Assert.Equal(Enumerable.Range(0, 1000).Count(e => e % 3 != 0 && e % 10 == 0), s.ScriptErrors);
        }

        Assert.Equal(2L, await Database.ScalarAsync<long>(database, $"SELECT count(*) FROM coaching_outcome_tallies WHERE opportunity_id = '{Opportunity}'"));
    }

    [Fact]
    public async Task A_standing_is_replaced_only_from_a_higher_revision()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "stats_standings");
        await using var batcher = Database.Batcher(database);
        var counts = new PostgresOpportunityCounts(batcher, Database.Service("stats"), NullLogger<PostgresOpportunityCounts>.Instance);

        await counts.Put(Opportunity, Standing("a-1", 1, AssessmentState.New));
        await counts.Put(Opportunity, Standing("a-1", 3, AssessmentState.Resolved, resolvedIn: TimeSpan.FromHours(2)));
        await counts.Put(Opportunity, Standing("a-1", 2, AssessmentState.InProgress)); // late
        await counts.Put(Opportunity, Standing("a-1", 3, AssessmentState.Resolved, resolvedIn: TimeSpan.FromHours(2))); // again
        await counts.Put(Opportunity, Standing("a-2", 1, AssessmentState.New));
        await counts.Put(Opportunity, Standing("a-3", 2, AssessmentState.ClosedComplete, expiries: 1));
        await counts.Put(Opportunity, Standing("a-3", 1, AssessmentState.New));

        var stats = await counts.Read(Opportunity);

        Assert.Equal(
            new Dictionary<AssessmentState, long> { [AssessmentState.Resolved] = 1, [AssessmentState.New] = 1, [AssessmentState.ClosedComplete] = 1 },
            stats.AssessmentsByState.ToDictionary());
        Assert.Equal(1, stats.Expired);
        Assert.Equal(TimeSpan.FromHours(2), stats.AverageTimeToResolve);
    }

    [Fact]
    public async Task Stats_of_the_earlier_grain_state_and_standings_of_stored_assessments_move_to_the_tables_once()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "stats_upgrade");
        await using (var connection = new NpgsqlConnection(database))
        {
            // As before the upgrade: no stats tables yet.
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE coaching_outcome_tallies; DROP TABLE coaching_assessment_stats", connection);
            await drop.ExecuteNonQueryAsync();
        }


        // As the earlier design stored them: grain state, PascalCase JSON, enums as numbers (dictionary keys by name).
        await EarlierGrainState.InsertAsync(database, "stats", "opportunity-stats", Opportunity,
            """{"EventsMatched":12,"Outcomes":{"Created":9,"SampledOut":3},"AssessmentsByState":{"New":9},"Expired":0,"ScriptErrors":2,"ResolvedCount":0,"ResolveTimeTotal":"00:00:00"}""");
        await EarlierGrainState.InsertAsync(database, "stats", "assessment", "ASM1",
            """{"Assessment":{"Id":"ASM1","OpportunityId":"COP0001001","State":3,"CreatedAt":"2026-11-20T10:00:00+00:00","FirstResolvedAt":"2026-11-20T12:00:00+00:00","History":[{"Action":"created","From":null,"To":0},{"Action":"resolved","From":0,"To":2},{"Action":"reopened","From":2,"To":1},{"Action":"expired","From":1,"To":3}]}}""");
        await EarlierGrainState.InsertAsync(database, "stats", "assessment", "ASM2",
            """{"Assessment":{"Id":"ASM2","OpportunityId":"COP0001001","State":0,"CreatedAt":"2026-11-20T10:00:00+00:00","FirstResolvedAt":null,"History":[{"Action":"created","From":null,"To":0}]}}""");

        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None); // a second start moves nothing again

        await using var batcher = Database.Batcher(database);
        var counts = new PostgresOpportunityCounts(batcher, Database.Service("stats"), NullLogger<PostgresOpportunityCounts>.Instance);
        // A report left in an outbox by the earlier version (no revision) changes nothing.
        await counts.Put(Opportunity, new AssessmentTransition("ASM2", null, AssessmentState.InProgress, false, null));
        var stats = await counts.Read(Opportunity);

        Assert.Equal(12, stats.EventsMatched);
        Assert.Equal(new Dictionary<EventOutcome, long> { [EventOutcome.Created] = 9, [EventOutcome.SampledOut] = 3 }, stats.Outcomes.ToDictionary());
        Assert.Equal(2, stats.ScriptErrors);
        Assert.Equal(
            new Dictionary<AssessmentState, long> { [AssessmentState.ClosedComplete] = 1, [AssessmentState.New] = 1 },
            stats.AssessmentsByState.ToDictionary());
        Assert.Equal(1, stats.Expired);
        Assert.Equal(TimeSpan.FromHours(2), stats.AverageTimeToResolve);
        Assert.Equal(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM orleans_grain_state WHERE state_name = 'opportunity-stats'"));
    }

    private static AnswerToStore ToStore(int e)
    {
        var answer = new EventAnswer($"evt-{e}", [new OpportunityOutcome(Opportunity, e % 3 == 0 ? EventOutcome.SampledOut : EventOutcome.Created, e % 3 == 0 ? null : $"A-{e}")]);
        return new AnswerToStore($"key-{e}", answer, OpportunityCounting.Of(answer, [e % 10 == 0]));
    }

    private static AssessmentTransition Standing(string id, int revision, AssessmentState state, int expiries = 0, TimeSpan? resolvedIn = null) =>
        new(id, null, state, false, resolvedIn, revision, expiries);
}

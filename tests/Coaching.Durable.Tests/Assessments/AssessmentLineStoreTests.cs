using Coaching.Assessments;
using Coaching.Assessments.Queues;
using Coaching.Silo.Schema;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Coaching.Durable.Tests.Assessments;

/// <summary>Queue lines stored one row each: newer revisions win, a change writes one row, old queues move over.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AssessmentLineStoreTests(PostgresServer postgres)
{
    private const string Queue = "group:g-1";
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_line_of_a_lower_revision_neither_replaces_a_newer_one_nor_brings_back_a_removed_one(bool inPostgres)
    {
        // Two writers on one queue: two activations of it (a failover) on two silos, or a late write of a dead one.
        await using var stores = inPostgres ? await TwoPostgresStores("lines_revisions") : TwoStores.InMemory();
        var (left, right) = (stores.Left, stores.Right);
        var started = Line("A-1", AssessmentState.InProgress, revision: 3);

        Assert.Equal(started, await left.Put(Queue, started));
        // The line of an earlier change, arriving late: the stored newer line stays, and the writer is told so.
        Assert.Equal(started, await right.Put(Queue, Line("A-1", AssessmentState.New, revision: 2)));
        Assert.Equal(started, Assert.Single(await left.Load(Queue)));
        Assert.Equal(started, Assert.Single(await right.Load(Queue)));

        // Taken off the queue at revision 4; the revision-3 line sent again afterwards does not bring it back.
        Assert.Null(await right.Remove(Queue, "A-1", 4));
        Assert.Null(await left.Put(Queue, started));
        Assert.Empty(await left.Load(Queue));

        // Back on the queue by a later change; a late removal of the earlier one leaves it there.
        var back = Line("A-1", AssessmentState.InProgress, revision: 5) with { CoachId = "c-2" };
        Assert.Equal(back, await left.Put(Queue, back));
        Assert.Equal(back, await right.Remove(Queue, "A-1", 4));
        Assert.Equal(back, Assert.Single(await right.Load(Queue)));

        // Other queues and other assessments are their own rows.
        var other = Line("A-2", AssessmentState.New, revision: 1);
        Assert.Equal(other, await right.Put("coach:c-2", other));
        Assert.Equal(other, Assert.Single(await left.Load("coach:c-2")));
        Assert.Equal(back, Assert.Single(await left.Load(Queue)));
    }

    [Fact]
    public async Task A_change_writes_one_row_whatever_the_size_of_the_queue()
    {
        const int Size = 500;
        var database = await postgres.CreateDatabaseAsync("lines_one_row");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "lines"));
        try
        {
            var queue = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IAssessmentQueueGrain>(Queue);
            var lines = Enumerable.Range(0, Size).Select(i => Line($"A-{i:D4}", AssessmentState.New, revision: 1, createdMinutes: i)).ToList();
            await Task.WhenAll(lines.Select(queue.Put));

            var before = await Rows(database);
            Assert.Equal(Size, before.Count);
            Assert.Equal(0L, await Scalar(database, "SELECT count(*) FROM orleans_grain_state WHERE state_name = 'assessment-queue'"));

            var changed = lines[250] with { State = AssessmentState.InProgress, Revision = 2 };
            await queue.Put(changed);
            var after = await Rows(database);
            Assert.Equal(Size, after.Count);
            var written = Assert.Single(after, row => row.Value != before[row.Key]);
            Assert.Equal(changed.Id, written.Key);
            Assert.Contains("\"state\":\"InProgress\"", written.Value.Line, StringComparison.Ordinal);
            Assert.Contains("\"revision\":2", written.Value.Line, StringComparison.Ordinal);

            // The same line again, or an older one, writes nothing at all; the list shows the newest.
            await queue.Put(changed);
            await queue.Put(lines[250]);
            Assert.Equal(after, await Rows(database));
            var page = await queue.List(new AssessmentFilter([AssessmentState.InProgress]), 10, null);
            Assert.Equal(changed, Assert.Single(page.Items));
            Assert.Equal(Size, (await ListAll(queue)).Count);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Fact]
    public async Task Queues_stored_as_assessment_queue_grain_state_move_to_their_table_on_upgrade()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "lines_upgrade");
        // As the earlier design stored a queue: its whole grain state as one JSON row (PascalCase, no revisions).
        await EarlierGrainState.InsertAsync(database, "lines", "assessment-queue", Queue, """
            {"Lines":{
              "A-1":{"Id":"A-1","OpportunityId":"COP0000001","TraineeId":"t-1","CoachId":"c-1","CoachGroupId":"g-1","State":"Resolved","CloseReason":null,"Completion":"coach","CreatedAt":"2026-11-20T10:00:00+00:00","DueAt":"2026-11-25T10:00:00+00:00","Overdue":false},
              "A-2":{"Id":"A-2","OpportunityId":"COP0000001","TraineeId":"t-2","CoachId":null,"CoachGroupId":"g-1","State":3,"CloseReason":1,"Completion":0,"CreatedAt":"2026-11-20T11:00:00+01:00","DueAt":"2026-11-25T10:30:00+00:00","Overdue":true}}}
            """);

        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        // Applying it again moves nothing twice.
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);

        Assert.Equal(0L, await Scalar(database, "SELECT count(*) FROM orleans_grain_state WHERE state_name = 'assessment-queue'"));
        Assert.Equal(2L, await Scalar(database, "SELECT count(*) FROM coaching_assessment_lines WHERE service_id = 'lines' AND revision = 0 AND created_at = '2026-11-20T10:00:00Z'"));
        await using var batcher = Database.Batcher(database);
        var store = new PostgresAssessmentLines(batcher, Database.Service("lines"));
        var moved = (await store.Load(Queue)).OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[]
            {
                new AssessmentSummary("A-1", "COP0000001", "t-1", "c-1", "g-1", AssessmentState.Resolved, null, CompletionMode.Coach,
                    Created, Created.AddDays(5), false),
                new AssessmentSummary("A-2", "COP0000001", "t-2", null, "g-1", AssessmentState.ClosedComplete, CloseReason.Expired, CompletionMode.Coach,
                    Created, Created.AddDays(5).AddMinutes(30), true),
            },
            moved);

        // The first line the assessment pushes after the upgrade replaces the moved one.
        var reopened = moved[0] with { State = AssessmentState.InProgress, Revision = 5 };
        Assert.Equal(reopened, await store.Put(Queue, reopened));
        Assert.Contains(reopened, await store.Load(Queue));
    }

    private static AssessmentSummary Line(string id, AssessmentState state, int revision, int createdMinutes = 0) => new(
        id, "COP0000001", "t-1", "c-1", "g-1", state, null, CompletionMode.Coach,
        Created.AddMinutes(createdMinutes), Created.AddDays(5), false, revision);

    private static async Task<List<AssessmentSummary>> ListAll(IAssessmentQueueGrain queue)
    {
        var all = new List<AssessmentSummary>();
        string? cursor = null;
        do
        {
            var page = await queue.List(new AssessmentFilter([]), AssessmentQueueGrain.MaxPage, cursor);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }

    /// <summary>Each row of the queue with the transaction that last wrote it (xmin) and its line.</summary>
    private static async Task<Dictionary<string, (string Writer, string Line)>> Rows(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand(
            "SELECT assessment_id, xmin::text, line FROM coaching_assessment_lines WHERE queue_key = $1", connection);
        select.Parameters.AddWithValue(Queue);
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return rows;
    }

    private static Task<long> Scalar(string database, string sql) => Database.ScalarAsync<long>(database, sql);

    private async Task<TwoStores> TwoPostgresStores(string name)
    {
        var database = await Database.CreateWithSchemaAsync(postgres, name);
        var left = Database.Batcher(database);
        var right = Database.Batcher(database);
        var cluster = Database.Service("lines");
        return new TwoStores(new PostgresAssessmentLines(left, cluster), new PostgresAssessmentLines(right, cluster), [left, right]);
    }

    /// <summary>Two writers of the same lines (each with its own batcher, so its own transactions, in PostgreSQL).</summary>
    private sealed record TwoStores(IAssessmentLines Left, IAssessmentLines Right, IReadOnlyList<IAsyncDisposable> Owned) : IAsyncDisposable
    {
        public static TwoStores InMemory()
        {
            var shared = new InMemoryAssessmentLines();
            return new TwoStores(shared, shared, []);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var owned in Owned)
            {
                await owned.DisposeAsync();
            }
        }
    }
}

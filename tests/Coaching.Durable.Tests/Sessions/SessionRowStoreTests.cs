using Coaching.Lists;
using Coaching.Sessions;
using Coaching.Sessions.Lists;
using Coaching.Silo.Storage;
using Coaching.Testing;

namespace Coaching.Durable.Tests.Sessions;

/// <summary>Session list rows, the same proof for each store: pages in order, newer revisions win, closed rows age out.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionRowStoreTests(PostgresServer postgres)
{
    private const string List = "case:CASE-1";
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_run_newest_first_through_cursors_and_read_only_what_they_return(bool inPostgres)
    {
        await using var store = await Store(inPostgres, "rows_pages");
        // Two sessions created at the same instant sort by id, ordinal as C# compares ("S-b" above "S-3"), in both stores.
        var rows = Enumerable.Range(0, 7).Select(i => Row($"S-{i}", Created.AddMinutes(i), 1)).Append(Row("S-b", Created.AddMinutes(3), 1)).ToList();
        foreach (var row in rows)
        {
            await store.Rows.Put(List, row);
        }

        var first = await store.Rows.Page(List, null, 3);
        Assert.Equal(["S-6", "S-5", "S-4"], first.Rows.Select(r => r.Id));
        Assert.True(first.More);
        var second = await store.Rows.Page(List, ListCursor.After(first.Rows[^1].CreatedAt, "S-4"), 3);
        Assert.Equal(["S-b", "S-3", "S-2"], second.Rows.Select(r => r.Id));
        var last = await store.Rows.Page(List, ListCursor.After(second.Rows[^1].CreatedAt, "S-2"), 3);
        Assert.Equal(["S-1", "S-0"], last.Rows.Select(r => r.Id));
        Assert.False(last.More);
        Assert.Equal(Json(rows.Single(r => r.Id == "S-b")), Json(second.Rows[0]));
        Assert.Empty((await store.Rows.Page("case:none", null, 3)).Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_older_revision_neither_replaces_a_newer_row_nor_brings_back_a_removed_entry(bool inPostgres)
    {
        await using var store = await Store(inPostgres, "rows_revisions");
        var scheduled = Row("S-1", Created, 2) with { State = SessionState.Scheduled, WasScheduled = true };
        await store.Rows.Put(List, scheduled);
        await store.Rows.Put(List, Row("S-1", Created, 1));
        Assert.Equal(Json(scheduled), Json(Assert.Single((await store.Rows.Page(List, null, 10)).Rows)));

        // Taken off at revision 3; the revision-2 row sent again does not bring it back, on this list or another's.
        await store.Rows.Remove(List, "S-1", 3);
        await store.Rows.Put(List, scheduled);
        Assert.Empty((await store.Rows.Page(List, null, 10)).Rows);

        // Back at revision 4, and the row every list shows is the newest.
        var back = scheduled with { Revision = 4, TraineeUsers = ["t9"] };
        await store.Rows.Put(List, back);
        await store.Rows.Remove(List, "S-1", 3);
        await store.Rows.Put("agent:t9", back);
        Assert.Equal(Json(back), Json(Assert.Single((await store.Rows.Page(List, null, 10)).Rows)));
        Assert.Equal(Json(back), Json(Assert.Single((await store.Rows.Page("agent:t9", null, 10)).Rows)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sessions_closed_before_the_cutoff_leave_the_list(bool inPostgres)
    {
        await using var store = await Store(inPostgres, "rows_forget");
        await store.Rows.Put(List, Row("S-open", Created, 1));
        await store.Rows.Put(List, Row("S-old", Created.AddMinutes(1), 2) with { State = SessionState.Completed, WasScheduled = true, ClosedAt = Created.AddDays(1) });
        await store.Rows.Put(List, Row("S-new", Created.AddMinutes(2), 2) with { State = SessionState.Canceled, ClosedAt = Created.AddDays(30) });

        Assert.Equal(1, await store.Rows.Forget(List, Created.AddDays(10)));
        Assert.Equal(["S-new", "S-open"], (await store.Rows.Page(List, null, 10)).Rows.Select(r => r.Id));
    }

    // Rows hold arrays, which records compare by reference: compare what is stored.
    private static string Json(SessionRow row) => System.Text.Json.JsonSerializer.Serialize(row);

    private static SessionRow Row(string id, DateTimeOffset created, int revision) =>
        new(id, created, revision, SessionState.Suggested, false, "sup", ["coach"], ["t1"], null);

    private async Task<StoreUnderTest> Store(bool inPostgres, string name)
    {
        if (!inPostgres)
        {
            return new StoreUnderTest(new InMemorySessionRows(), null);
        }

        var database = await Database.CreateWithSchemaAsync(postgres, name);
        var batcher = Database.Batcher(database);
        return new StoreUnderTest(new PostgresSessionRows(batcher, Database.Service("rows")), batcher);
    }

    private sealed record StoreUnderTest(ISessionRows Rows, IAsyncDisposable? Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

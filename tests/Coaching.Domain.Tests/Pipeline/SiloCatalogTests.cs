using Coaching.Opportunities;
using Coaching.Pipeline;

namespace Coaching.Domain.Tests.Pipeline;

/// <summary>The silo's catalog copy: versions only move forward, whichever of push and poll arrives first.</summary>
public class SiloCatalogTests
{
    private static OpportunityCatalogSnapshot Snapshot(long version, params string[] active) =>
        new(version, [.. active.Select(id => new Opportunity
        {
            Id = id,
            Version = 1,
            Definition = new OpportunityDefinition
            {
                Name = id,
                SourceTable = "incident",
                TraineeField = "assigned_to",
                MomentJson = """{"all":[{"field":"assigned_to","operator":"changes"}]}""",
            },
        })]);

    [Theory]
    [InlineData(new long[0], 0, true, 0)]
    [InlineData(new long[] { 3 }, 4, true, 4)]
    [InlineData(new long[] { 3 }, 9, true, 9)]
    [InlineData(new long[] { 3 }, 3, false, 3)]
    [InlineData(new long[] { 3 }, 2, false, 3)]
    [InlineData(new long[] { 5, 2 }, 4, false, 5)]
    [InlineData(new long[] { 2, 5 }, 6, true, 6)]
    public void Only_a_higher_catalog_version_replaces_the_copy(long[] held, long offered, bool taken, long after)
    {
        var catalog = new SiloCatalog();
        foreach (var version in held)
        {
            catalog.Offer(Snapshot(version));
        }

        Assert.Equal(taken, catalog.Offer(Snapshot(offered, "COP0000001")));
        Assert.Equal(after, catalog.View.Version);
        Assert.Equal(taken ? 1 : 0, catalog.View.For("incident").Length);
    }

    [Fact]
    public void Nothing_is_loaded_until_a_first_version_arrives()
    {
        var catalog = new SiloCatalog();
        Assert.False(catalog.Loaded);
        Assert.True(catalog.Offer(Snapshot(0)));
        Assert.True(catalog.Loaded);
    }

    [Fact]
    public async Task A_poll_answered_after_a_newer_push_does_not_undo_it()
    {
        var catalog = new SiloCatalog();
        var answer = new TaskCompletionSource<OpportunityCatalogSnapshot?>();
        var asked = new List<long>();
        var polling = catalog.Refresh(known =>
        {
            asked.Add(known);
            return answer.Task;
        });

        catalog.Offer(Snapshot(7, "COP0000001", "COP0000002"));
        answer.SetResult(Snapshot(6, "COP0000001"));
        await polling;

        Assert.Equal([-1L], asked);
        Assert.Equal(7, catalog.View.Version);
        Assert.Equal(2, catalog.View.For("incident").Length);
    }

    [Fact]
    public async Task Intake_workers_polling_at_once_share_one_request_and_the_next_poll_asks_from_the_new_version()
    {
        var catalog = new SiloCatalog();
        var answer = new TaskCompletionSource<OpportunityCatalogSnapshot?>();
        var asked = new List<long>();
        Task<OpportunityCatalogSnapshot?> Fetch(long known)
        {
            asked.Add(known);
            return answer.Task;
        }

        var polls = Enumerable.Range(0, 4).Select(_ => catalog.Refresh(Fetch)).ToList();
        answer.SetResult(Snapshot(3, "COP0000001"));
        await Task.WhenAll(polls);
        await catalog.Refresh(known =>
        {
            asked.Add(known);
            return Task.FromResult<OpportunityCatalogSnapshot?>(null);
        });

        Assert.Equal([-1L, 3L], asked);
        Assert.Equal(3, catalog.View.Version);
    }
}

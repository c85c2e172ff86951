using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Coaching.Sessions;
using Coaching.Telemetry;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Coaching.Api.Tests.Sessions;

/// <summary>
/// Session lists at scale, each on a host of its own (in the shared collection, so nothing else runs meanwhile):
/// a page reads only its own rows and sessions, and long lists do not live in memory.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SessionListScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_page_of_50_of_a_case_with_10000_sessions_reads_at_most_50_rows_and_50_sessions_with_p99_under_50_ms()
    {
        const int Sessions = 10_000;
        const int Page = 50;
        await using var api = new CoachingApi(RequestBudget.Lift([]));
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        await Directory(api, "big", coaches: 1);
        var draft = new SessionDraft("Empathy on escalations", Participant.User("big-coach-0"), [Participant.User("big-t")], "big-area", null, ["BIG-CASE"]);
        await Parallel.ForEachAsync(Enumerable.Range(0, Sessions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var outcome = await grains.GetGrain<ISuggestionGrain>($"SESBIG{i:D5}").Suggest("big-sup", draft);
            Assert.True(outcome.IsAccepted, outcome.Refusal?.Message);
        });

        var client = api.As("big-sup", ["supervisor"], ["suggestions.view"]);
        // Warm up with one unmeasured walk (JIT, connections, every page once), then measure from a collected heap.
        for (string? warm = null, first = "start"; first is not null || warm is not null; first = null)
        {
            var page = await (await client.GetAsync($"/v1/cases/BIG-CASE/sessions?limit={Page}" + (warm is null ? "" : "&cursor=" + Uri.EscapeDataString(warm)))).Expect(HttpStatusCode.OK);
            warm = page.GetProperty("nextCursor").GetString();
        }

        Heap();
        using var reads = new ListReads();
        var times = new List<double>();
        var seen = new HashSet<string>();
        string? cursor = null;
        for (var request = 0; request < Sessions / Page; request++)
        {
            var url = $"/v1/cases/BIG-CASE/sessions?limit={Page}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var started = Stopwatch.GetTimestamp();
            var page = await (await client.GetAsync(url)).Expect(HttpStatusCode.OK);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.Equal(Page, items.Count);
            Assert.All(items, id => Assert.True(seen.Add(id), $"{id} listed twice"));
            cursor = page.GetProperty("nextCursor").GetString();
        }

        // Walked the whole case in 200 pages: every session once, newest first, and then no next page.
        Assert.Null(cursor);
        Assert.Equal(Sessions, seen.Count);
        times.Sort();
        var p99 = times[(int)Math.Ceiling(times.Count * 0.99) - 1];
        var (rows, sessions) = reads.Of("case");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"case of {Sessions} sessions, {times.Count} pages of {Page} over HTTP: p50 {times[times.Count / 2]:F1} ms, p99 {p99:F1} ms, max {times[^1]:F1} ms; rows read per page max {rows.Max()}, sessions read per page max {sessions.Max()}"));
        Assert.Equal(Sessions / Page, rows.Count);
        Assert.All(rows, r => Assert.True(r <= Page, $"a page read {r} rows"));
        Assert.All(sessions, s => Assert.True(s <= Page, $"a page read {s} sessions"));
        Assert.True(p99 < 50, $"p99 {p99:F1} ms");
    }

    [Fact]
    public async Task Three_thousand_suggestions_to_a_coach_group_of_200_leave_the_heap_within_100_MB_of_the_start_once_idle()
    {
        const int Suggestions = 3_000;
        await using var api = new CoachingApi(RequestBudget.Lift([]));
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        await Directory(api, "mem", coaches: 200);
        var draft = new SessionDraft("Empathy on escalations", Participant.Group("mem-coaches"), [Participant.User("mem-t")], "mem-area", null, ["MEM-CASE"]);
        await grains.GetGrain<ISuggestionGrain>("SESMEMWARM").Suggest("mem-sup", draft);
        var start = Heap();

        await Parallel.ForEachAsync(Enumerable.Range(0, Suggestions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var outcome = await grains.GetGrain<ISuggestionGrain>($"SESMEM{i:D5}").Suggest("mem-sup", draft);
            Assert.True(outcome.IsAccepted, outcome.Refusal?.Message);
        });
        var afterSuggestions = Heap();

        // Orleans collects idle activations in time; forcing it shows what stays: what the stores hold.
        var management = grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var afterCollection = Heap();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Suggestions} suggestions to a coach group of 200: heap {start / 1e6:F0} MB at start, {afterSuggestions / 1e6:F0} MB after, {afterCollection / 1e6:F0} MB once idle activations are collected"));

        // Each of the 200 coaches still finds every session on its home (reading one page at a time).
        var coach = api.As("mem-coach-199", ["coach"], ["suggestions.view"]);
        var first = await (await coach.GetAsync("/v1/me/coaching-sessions?limit=200")).Expect(HttpStatusCode.OK);
        Assert.Equal(200, first.GetProperty("items").GetArrayLength());
        // What stays once Orleans has collected the idle activations (it does so after its collection age) is bounded.
        Assert.True(afterCollection - start < 100_000_000, $"the heap grew by {(afterCollection - start) / 1e6:F0} MB");
    }

    /// <summary>Users {prefix}-sup, {prefix}-t, {prefix}-coach-0..n-1, group {prefix}-coaches, area {prefix}-area.</summary>
    private static async Task Directory(CoachingApi api, string prefix, int coaches)
    {
        var admin = api.Admin();
        var members = Enumerable.Range(0, coaches).Select(i => $"{prefix}-coach-{i}").ToArray();
        foreach (var user in members.Append($"{prefix}-sup").Append($"{prefix}-t"))
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = "Name of " + user })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson($"/v1/groups/{prefix}-coaches", new { displayName = "Coaches", members })).Expect(HttpStatusCode.OK);
        await (await admin.PutJson($"/v1/coaching-areas/{prefix}-area", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The rows and sessions each session list page read, from the service's own metrics, per list kind.</summary>
    private sealed class ListReads : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<(string Instrument, string Kind, long Value)> measured = [];

        public ListReads()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CoachingMetrics.Name && instrument.Name.StartsWith("coaching.session_lists.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var kind = "";
                foreach (var tag in tags)
                {
                    kind = tag.Key == "list" ? tag.Value as string ?? "" : kind;
                }

                lock (measured)
                {
                    measured.Add((instrument.Name, kind, value));
                }
            });
            listener.Start();
        }

        public (List<long> Rows, List<long> Sessions) Of(string kind)
        {
            lock (measured)
            {
                return ([.. measured.Where(m => m.Kind == kind && m.Instrument.EndsWith("rows_read", StringComparison.Ordinal)).Select(m => m.Value)],
                    [.. measured.Where(m => m.Kind == kind && m.Instrument.EndsWith("sessions_read", StringComparison.Ordinal)).Select(m => m.Value)]);
            }
        }

        public void Dispose() => listener.Dispose();
    }
}

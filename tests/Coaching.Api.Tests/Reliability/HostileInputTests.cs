using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coaching.Testing;
using Xunit.Abstractions;

namespace Coaching.Api.Tests.Reliability;

/// <summary>
/// The heap is measured in this test process, which hosts every test's service: this runs alone, or another test's
/// allocations would count as a leak here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileInputCollection
{
    public const string Name = "hostile-input";
}

/// <summary>
/// Thousands of generated hostile requests across every route of the OpenAPI document, as every role: no 5xx,
/// the process still answers, and a second identical round does not grow memory (nothing leaks per request).
/// </summary>
[Collection(HostileInputCollection.Name)]
public sealed partial class HostileInputTests(ITestOutputHelper output)
{
    private const int Seed = 20261123;
    private static readonly int RequestsPerRound = int.TryParse(Environment.GetEnvironmentVariable("COACHING_HOSTILE_REQUESTS"), out var n) ? n / 2 : 5_000;

    [Fact]
    public async Task Hostile_requests_across_every_route_get_no_5xx_and_leak_nothing()
    {
        // Each role sends thousands of requests within seconds: the per-user budget would turn most away before they
        // reach the code under attack.
        await using var api = new CoachingApi(RequestBudget.Lift([]));
        var routes = await Routes(api);
        var clients = new[] { api.Anonymous(), api.Admin(), api.Integration(), api.As("h-sup", ["supervisor"], ["suggestions.view", "suggestions.create"]),
            api.As("h-coach", ["coach"]), api.As("h-agent", ["agent"]) };

        var first = await Round(routes, clients);
        var afterFirst = Heap();
        var second = await Round(routes, clients);
        var afterSecond = Heap();

        var live = await api.Anonymous().GetAsync("/health/live");
        var byStatus = first.Statuses.Concat(second.Statuses).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.Value));
        output.WriteLine($"{first.Count + second.Count} requests over {routes.Count} routes; statuses: " +
            string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        output.WriteLine($"managed heap after round 1: {afterFirst / 1048576.0:F1} MiB, after round 2: {afterSecond / 1048576.0:F1} MiB");

        Assert.True(first.Count + second.Count >= 2 * RequestsPerRound);
        Assert.True(first.ServerErrors.IsEmpty && second.ServerErrors.IsEmpty,
            string.Join("\n", first.ServerErrors.Concat(second.ServerErrors).Take(10)));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(afterSecond - afterFirst < 64L * 1024 * 1024, $"heap grew by {(afterSecond - afterFirst) / 1048576.0:F1} MiB in the second round");
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed record RoundResult(int Count, ConcurrentDictionary<int, int> Statuses, ConcurrentQueue<string> ServerErrors);

    // The same seed each round: the second round repeats the first request for request.
    private static async Task<RoundResult> Round(List<(string Method, string Template)> routes, HttpClient[] clients)
    {
        var statuses = new ConcurrentDictionary<int, int>();
        var errors = new ConcurrentQueue<string>();
        var input = new HostileInput(Seed);
        var requests = Enumerable.Range(0, RequestsPerRound).Select(i =>
        {
            var (method, template) = routes[i % routes.Count];
            var path = IdPattern().Replace(template, _ => input.Id());
            var body = method is "GET" or "DELETE" ? null : input.Body();
            return (Client: clients[i % clients.Length], Method: method, Path: path, Body: body);
        }).ToList();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, _) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
            if (r.Body is not null)
            {
                request.Content = new StringContent(r.Body, Encoding.UTF8, "application/json");
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                using var response = await r.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                if ((int)response.StatusCode >= 500)
                {
                    errors.Enqueue($"{(int)response.StatusCode} {r.Method} {r.Path} {Clip(r.Body)}");
                }
            }
            catch (OperationCanceledException) when (r.Path.EndsWith("/stream", StringComparison.Ordinal))
            {
                statuses.AddOrUpdate(200, 1, (_, c) => c + 1);
            }
        });

        return new RoundResult(requests.Count, statuses, errors);
    }

    private static string Clip(string? body) => body is null ? "" : body.Length > 200 ? body[..200] + "…" : body;

    private static async Task<List<(string Method, string Template)>> Routes(CoachingApi api)
    {
        var json = JsonDocument.Parse(await api.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;
        var routes = new List<(string, string)>();
        foreach (var path in json.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "patch" or "delete"))
            {
                // The live stream never ends by itself; it is probed by the authorization matrix instead.
                if (!path.Name.EndsWith("/stream", StringComparison.Ordinal))
                {
                    routes.Add((op.Name.ToUpperInvariant(), path.Name));
                }
            }
        }

        return routes;
    }

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex IdPattern();
}

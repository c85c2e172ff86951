using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Playwright;

namespace Coaching.Bench;

/// <summary>
/// "200 console users": signed-in console sessions with live coach homes open in one headless Chromium while matching
/// events flow, against a service process started for this phase (development sign-in on). Measures the service's
/// live managed heap per open session (after an induced full GC, with and without the sessions) and the delay from an
/// event's answer naming a new assessment to that assessment's row appearing on each open page of its group's
/// coaches (a MutationObserver in each page stamps the first time it sees each <c>data-assessment</c> row).
/// </summary>
public sealed class ConsolePhase(BenchOptions options, Report report, BenchTokens tokens, string runId, CancellationToken cancellationToken)
{
    private const string Observer = """
        (() => {
          window.__seen = new Map();
          const stamp = () => {
            const now = performance.timeOrigin + performance.now();
            for (const row of document.querySelectorAll('[data-assessment]')) {
              const id = row.getAttribute('data-assessment');
              if (!window.__seen.has(id)) window.__seen.set(id, now);
            }
          };
          new MutationObserver(stamp).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-assessment'] });
        })();
        """;

    private readonly string integrationToken = tokens.For("bench-integration", "integration");
    private readonly string adminToken = tokens.For("bench-admin", "coaching.admin");

    private string Group(int g) => $"bench-{runId}-cg-{g}";

    private string Coach(int c) => $"bench-{runId}-cc-{c}";

    private string Table(int g) => $"bench-{runId}-console-{g}";

    private string TraineePrefix => $"bench-{runId}-ct-";

    public async Task Run(ServiceProcess service, double rate)
    {
        var users = options.ConsoleUsers;
        var coaches = Math.Max(1, users / options.ConsolePagesPerCoach);
        var groups = Math.Max(1, coaches / 2);
        const int trainees = 100;
        using var http = new BenchHttp(service.Address, 32);
        Console.WriteLine($"- console: {users} sessions ({coaches} coaches in {groups} groups), events at {rate:0}/s...");
        var total = Stopwatch.StartNew();

        // Directory: trainees, coaches (two per group), one opportunity per group on its own table.
        var people = Enumerable.Range(0, trainees).Select(i => TraineePrefix + i.ToString("D6", CultureInfo.InvariantCulture))
            .Concat(Enumerable.Range(0, coaches).Select(Coach)).ToArray();
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (user, ct) =>
            Expect(await http.Send(HttpMethod.Put, $"/v1/users/{user}", JsonSerializer.Serialize(new { displayName = user }), adminToken, ct), HttpStatusCode.OK, user));
        for (var g = 0; g < groups; g++)
        {
            var members = Enumerable.Range(0, coaches).Where(c => c % groups == g).Select(Coach).ToArray();
            Expect(await http.Send(HttpMethod.Put, $"/v1/groups/{Group(g)}", JsonSerializer.Serialize(new { displayName = Group(g), members }), adminToken, cancellationToken), HttpStatusCode.OK, Group(g));
            var opportunity = new Dictionary<string, object?>
            {
                ["name"] = $"Bench console {g}",
                ["active"] = true,
                ["sourceTable"] = Table(g),
                ["traineeField"] = "assigned_to",
                ["coachGroup"] = Group(g),
                ["moment"] = new { all = new[] { new { field = "assigned_to", @operator = "changes" } } },
                ["snapshotFields"] = new[] { "resolution_code" },
                ["randomSamplePercent"] = 100,
                ["assessmentDuration"] = "P5D",
                ["closeOnExpiry"] = true,
                ["preventDuplicates"] = false,
                ["completion"] = "coach",
            };
            Expect(await http.Send(HttpMethod.Post, "/v1/opportunities", JsonSerializer.Serialize(opportunity), adminToken, cancellationToken), HttpStatusCode.Created, "opportunity");
        }

        var bodies = Enumerable.Range(0, groups).Select(g => EventBodies.Create($"ce-{runId}-{g}-", Table(g), matching: true, TraineePrefix, n => n % trainees, 1)).ToArray();
        // Warm the event path (and let each opportunity apply) before any session opens.
        for (var g = 0; g < groups; g++)
        {
            for (var attempt = 0; (await Post(http, bodies[g], 1_000_000 + attempt)).Ids.Count == 0; attempt++)
            {
                if (attempt == 40)
                {
                    throw new InvalidOperationException($"console: events on {Table(g)} created no assessment within 10 s of its opportunity.");
                }

                await Task.Delay(250, cancellationToken);
            }
        }

        var before = await Heap(http, service);
        Console.WriteLine($"  seeded in {total.Elapsed.TotalSeconds:0.0} s; opening sessions...");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("COACHING_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });

        // One context per coach (its own cookie), signed in once through the development form; its pages each open a
        // circuit on the coach's home.
        var opening = Stopwatch.StartNew();
        var pages = new ConcurrentBag<(int Group, IPage Page)>();
        using var gate = new SemaphoreSlim(8);
        var openFor = options.Quick ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(100);
        await Task.WhenAll(Enumerable.Range(0, coaches).Select(async c =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (opening.Elapsed > openFor)
                {
                    return;
                }

                var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.Address.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1280, Height = 800 } });
                context.SetDefaultTimeout(60_000);
                await context.AddInitScriptAsync(Observer);
                var first = await context.NewPageAsync();
                await first.GotoAsync("/signin?returnUrl=%2F");
                await first.GetByLabel("User", new() { Exact = true }).FillAsync(Coach(c));
                await first.GetByLabel("coach", new() { Exact = true }).CheckAsync();
                await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await first.GetByRole(AriaRole.Heading, new() { Name = "Unassigned in my groups" }).WaitForAsync();
                pages.Add((c % groups, first));
                for (var p = 1; p < options.ConsolePagesPerCoach && opening.Elapsed < openFor; p++)
                {
                    var page = await context.NewPageAsync();
                    await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
                    await page.GetByRole(AriaRole.Heading, new() { Name = "Unassigned in my groups" }).WaitForAsync();
                    pages.Add((c % groups, page));
                }

                if (pages.Count % 25 < options.ConsolePagesPerCoach)
                {
                    Console.WriteLine($"  {pages.Count} sessions open ({opening.Elapsed.TotalSeconds:0} s)");
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        // Every circuit is up when each page has rendered interactively once (Blazor's script started).
        var notLive = 0;
        foreach (var (_, page) in pages)
        {
            try
            {
                await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-assessment]') !== null", null, new() { Timeout = 10_000 });
            }
            catch (TimeoutException)
            {
                notLive++;
            }
        }

        if (notLive > 0)
        {
            report.Notes.Add($"console: {notLive} of {pages.Count} pages showed no Blazor script or no assessment row 10 s after opening.");
        }

        var opened = opening.Elapsed;
        if (pages.Count < users)
        {
            report.Notes.Add($"console: {pages.Count} of {users} sessions opened within the {openFor.TotalSeconds:0} s allowed for opening them; figures are for {pages.Count}.");
        }

        var withSessions = await Heap(http, service);
        Console.WriteLine($"  {pages.Count} sessions live after {opened.TotalSeconds:0.0} s; events for {(options.Quick ? 10 : 30)} s...");

        // Events at the given rate for the measuring window; each answer's assessment id and the time it came back.
        var created = new ConcurrentBag<(string Id, int Group, double At)>();
        var window = options.Quick ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30);
        var failures = 0;
        var count = 0;
        var sending = Stopwatch.StartNew();
        using var inFlight = new SemaphoreSlim(32);
        var sends = new List<Task>();
        for (var n = 0; sending.Elapsed < window; n++, count++)
        {
            var due = TimeSpan.FromSeconds(n / rate) - sending.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            var g = n % groups;
            var number = n;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var (ok, ids, at) = await Post(http, bodies[g], number);
                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    foreach (var id in ids)
                    {
                        created.Add((id, g, at));
                    }
                }
                finally
                {
                    inFlight.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(sends);
        var achieved = count / sending.Elapsed.TotalSeconds;
        Console.WriteLine($"  {count} events sent at {achieved:0}/s, {created.Count} assessments; reading the pages...");

        // Let the last ones arrive (a live page refreshes at least every second), then read every page's stamps.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var byGroup = created.GroupBy(c => c.Group).ToDictionary(x => x.Key, x => x.ToList());
        var delays = new List<double>();
        var missing = 0;
        foreach (var (g, page) in pages)
        {
            var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => Object.fromEntries(window.__seen)");
            if (delays.Count == 0 && missing == 0)
            {
                Console.WriteLine($"  first page: {seen.Count} rows stamped (e.g. {seen.Keys.FirstOrDefault()}); created e.g. {byGroup.GetValueOrDefault(g)?.FirstOrDefault().Id}");
            }

            foreach (var (id, _, at) in byGroup.GetValueOrDefault(g) ?? [])
            {
                if (seen.TryGetValue(id, out var shown))
                {
                    delays.Add(Math.Max(0, shown - at));
                }
                else
                {
                    missing++;
                }
            }
        }

        delays.Sort();
        double Percentile(double p) => delays.Count == 0 ? double.NaN : delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(p / 100 * delays.Count) - 1)];
        var perUser = (withSessions - before) / pages.Count;
        report.Add(new Figure("console-heap-per-user", "console: live managed heap per signed-in session (coach home open)", perUser, "bytes",
            $"({Report.Format(withSessions / 1048576.0)} - {Report.Format(before / 1048576.0)} MiB) / {pages.Count} circuits, each after an induced full GC; {coaches} coaches, {options.ConsolePagesPerCoach} pages each, opened in {opened.TotalSeconds:0.0} s"));
        report.Add(new Figure("console-appear-p50", "console: assessment created -> row on its coaches' open pages, p50", Percentile(50), "ms",
            $"{created.Count:#,0} assessments over {window.TotalSeconds:0} s at {Report.Format(achieved)} events/s (asked {Report.Format(rate)}), {groups} groups; {delays.Count:#,0} (assessment, page) pairs seen, {missing:#,0} not seen (pushed out of the 50 shown between two refreshes, or late); {failures} event failures"));
        report.Add(new Figure("console-appear-p99", "console: assessment created -> row on its coaches' open pages, p99", Percentile(99), "ms", "same run; from the event's answer in the bench to the page's MutationObserver, both on this machine's clock"));
        report.Counters["console.pages"] = pages.Count.ToString(CultureInfo.InvariantCulture);
        report.Counters["console.wall-seconds"] = total.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
    }

    private async Task<(bool Ok, List<string> Ids, double At)> Post(BenchHttp http, EventBodies bodies, long n)
    {
        var (status, body) = await http.Send(HttpMethod.Post, "/v1/events", Encoding.UTF8.GetString(bodies.Render(n)), integrationToken, cancellationToken);
        var at = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        var ids = new List<string>();
        if (status != HttpStatusCode.OK)
        {
            return (false, ids, at);
        }

        using var answer = JsonDocument.Parse(body);
        if (answer.RootElement.TryGetProperty("outcomes", out var outcomes))
        {
            foreach (var outcome in outcomes.EnumerateArray())
            {
                if (outcome.TryGetProperty("assessmentId", out var id) && id.GetString() is { } value
                    && outcome.TryGetProperty("outcome", out var kind) && kind.GetString() == "created")
                {
                    ids.Add(value);
                }
            }
        }

        return (true, ids, at);
    }

    /// <summary>The service's GC heap size after an induced full collection, from its metrics.</summary>
    private async Task<double> Heap(BenchHttp http, ServiceProcess service)
    {
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await ServiceMemory.InduceFullGc(service.ProcessId, TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            report.Notes.Add($"console: could not induce a GC in the service ({ex.Message}); heap readings include garbage.");
        }

        var (status, page) = await http.Send(HttpMethod.Get, "/metrics", null, adminToken, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"console: GET /metrics answered {(int)status}.");
        }

        return ServiceMemory.Metrics(page, "dotnet_gc_last_collection_heap_size_bytes").GetValueOrDefault("dotnet_gc_last_collection_heap_size_bytes", double.NaN);
    }

    private static void Expect((HttpStatusCode Status, string Body) answer, HttpStatusCode expected, string what)
    {
        if (answer.Status != expected)
        {
            throw new InvalidOperationException($"console: seeding {what} answered {(int)answer.Status}: {answer.Body}");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Coaching.Bench;
using Coaching.Testing;
using Microsoft.Playwright;

if (args is ["summarize-profile", var tracePath])
{
    // Re-reads a profile the bench recorded (bench/results/profile-*.nettrace).
    Console.WriteLine(ServiceProfile.Summarize(tracePath));
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var runId = Guid.NewGuid().ToString("N")[..8];
var report = new Report
{
    RunId = runId,
    StartedAt = DateTimeOffset.UtcNow,
    Command = "dotnet run -c Release --project bench/Coaching.Bench --" + (args.Length > 0 ? " " + string.Join(' ', args) : ""),
    Environment =
    {
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
        ["pool"] = options.PoolSize.ToString(CultureInfo.InvariantCulture),
        ["warmup+duration per phase"] = $"{options.Warmup.TotalSeconds}+{options.Duration.TotalSeconds} s",
    },
};
using var deadline = new CancellationTokenSource(options.Deadline);
var total = Stopwatch.StartNew();
Console.WriteLine($"Coaching.Bench run {runId}: concurrency {options.Concurrency}, {options.Warmup.TotalSeconds}+{options.Duration.TotalSeconds} s per phase{(options.Quick ? " (quick)" : "")}");

var tokens = new BenchTokens(options.Url is null ? null : Environment.GetEnvironmentVariable(BenchTokens.KeyVariable));
PostgresServer? postgres = null;
string? benchDatabase = null;
ServiceProcess? service = null;
CeilingServer? ceiling = null;
try
{
    var needsPostgres = !options.InMemory && (options.Url is null || options.Postgres is not null);
    if (needsPostgres)
    {
        Console.WriteLine("Starting PostgreSQL...");
        postgres = await PostgresServer.StartAsync(options.Postgres, "-c max_connections=300 -c shared_buffers=256MB");
        benchDatabase = await postgres.CreateDatabaseAsync("bench");
        report.Environment["postgres"] = postgres.StartedHere
            ? "throwaway server started by the bench (fsync=off, as the tests run it)"
            : "given server (--postgres)";
    }

    var pooled = benchDatabase is null ? null : $"{benchDatabase};Maximum Pool Size={options.PoolSize}";
    Uri serviceAddress;
    if (options.Url is { } url)
    {
        serviceAddress = url;
        report.Environment["service"] = $"given ({url})";
    }
    else if (options.Only.SetEquals(["console"]))
    {
        serviceAddress = new Uri("http://127.0.0.1/"); // no shared service: the console phase starts its own
    }
    else
    {
        service = await StartService(pooled, "");
        serviceAddress = service.Address;
    }

    var phases = new BenchPhases(options, report, tokens, runId, deadline.Token) { ServicePid = service?.ProcessId, Postgres = pooled, PostmasterPid = postgres?.PostmasterPid };

    ceiling = await CeilingServer.Start();
    if (options.Runs("ceiling-a"))
    {
        await phases.CeilingA(ceiling.Address);
    }

    if (options.Runs("ceiling-b"))
    {
        await phases.CeilingB(ceiling.Address);
    }

    await ceiling.DisposeAsync();
    ceiling = null;

    if (options.Runs("ceiling-c"))
    {
        if (pooled is null)
        {
            report.Notes.Add("Ceiling C not measured: no PostgreSQL in this run.");
        }
        else
        {
            await phases.CeilingC(pooled);
        }
    }

    var serviceRuns = new[] { "single-nomatch", "single-match", "batch", "live-query" }.Any(options.Runs);
    if (serviceRuns)
    {
        await phases.Service(serviceAddress, durable: pooled is not null);
        await phases.ExplainStateRead();
    }

    if (options.Runs("memory"))
    {
        if (service is null)
        {
            report.Notes.Add("Memory not measured: the bench reads the memory of a service process it started (not with --url).");
        }
        else
        {
            // A fresh process for a clean baseline, in memory: the figure is about activations (state excluded), and on
            // PostgreSQL each activation's state read scans every row of its state name (see the state read plan), which
            // would make touching 100,000 trainees take many minutes.
            if (pooled is not null)
            {
                await service.DisposeAsync();
                service = null;
                service = await StartService(null, "-memory");
            }

            phases.ServicePid = service.ProcessId;
            phases.Postgres = null;
            phases.PostmasterPid = null;
            report.Environment["memory phase"] = pooled is null ? "same service process" : "a fresh in-memory service process";
            await phases.MemoryPhase(service);
        }
    }

    // Opt-in (needs Chromium, ~2 minutes): a fresh in-memory service with the development sign-in on.
    if (options.Only.Contains("console"))
    {
        if (service is not null)
        {
            await service.DisposeAsync();
            service = null;
        }

        var half = report.Find("single-match")?.Value / 2;
        var rate = options.ConsoleRate ?? half ?? 548;
        report.Environment["console phase"] = $"a fresh in-memory service process, development sign-in on; events at {rate:0}/s ({(options.ConsoleRate is not null ? "--console-rate" : half is not null ? "half of this run's single-match" : "fixed: half of the last recorded single-match, 1,096")})";
        service = await StartService(null, "-console", new() { ["Coaching__Console__DevSignIn"] = "true", ["Coaching__Demo__Seed"] = "false" });
        await new ConsolePhase(options, report, tokens, runId, deadline.Token).Run(service, rate);
    }
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or PlaywrightException or TimeoutException or OperationCanceledException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"Run stopped: {ex.Message}");
    report.Notes.Add($"Run stopped early: {ex.GetType().Name}: {ex.Message}");
}
finally
{
    if (ceiling is not null)
    {
        await ceiling.DisposeAsync();
    }

    if (service is not null)
    {
        await service.DisposeAsync();
    }

    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
}

async Task<ServiceProcess> StartService(string? connectionString, string suffix, Dictionary<string, string>? extra = null)
{
    var env = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Coaching__RateLimits__IngestionRequestsPerSecond"] = "100000000",
        ["Coaching__RateLimits__IngestionBurst"] = "100000000",
        // Seeding thousands of users as one admin and the live-query phase go through the per-user budget.
        ["Coaching__RateLimits__UserRequestsPerSecond"] = "100000000",
        ["Coaching__RateLimits__UserBurst"] = "100000000",
        ["Coaching__Http__MaxRequestBodyBytes"] = (16 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        // Free ports: other silos (tests, other engineers) may hold Orleans' defaults.
        ["Coaching__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Coaching__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Coaching__Cluster__ClusterId"] = "bench-" + runId + suffix,
        ["Logging__LogLevel__Default"] = "Warning",
    };
    foreach (var (key, value) in tokens.ServiceEnvironment())
    {
        env[key] = value;
    }

    if (connectionString is not null)
    {
        env["ConnectionStrings__Coaching"] = connectionString;
    }

    foreach (var (key, value) in extra ?? [])
    {
        env[key] = value;
    }

    foreach (var (key, value) in options.ServiceEnvironment)
    {
        env[key] = value;
    }

    Console.WriteLine($"Starting the service ({(connectionString is null ? "in memory" : "on PostgreSQL")})...");
    var logPath = Path.Combine(options.ResultsFolder ?? Report.DefaultFolder, $"service-{runId}{suffix}.log");
    var started = Stopwatch.StartNew();
    var process = await ServiceProcess.Start(options.ServiceDll, env, logPath, deadline.Token);
    report.Environment["service" + suffix] = $"embedded child process, {(connectionString is null ? "in memory" : "PostgreSQL")}, log {Path.GetFileName(logPath)}";
    Console.WriteLine($"  ready in {started.Elapsed.TotalSeconds:0.0} s at {process.Address}");
    return process;
}

report.AddRatio("r1", "1. single-event ingestion, non-matching / ceiling A", "single-nomatch", "ceiling-a", 0.7);
report.AddRatio("r1m", "single-event ingestion, matching / ceiling A", "single-match", "ceiling-a", null);
report.AddRatio("r2", "2. batch ingestion events/s / ceiling B", "batch", "ceiling-b", 0.5);
report.AddRatio("r3", "3. durable assessments/s / ceiling C", "assessments-durable", "ceiling-c", 0.5);
report.AddBound("r4", "4. coach live query p99 at half of max ingestion", "live-p99", 20);
report.AddBound("r6", "6. memory per trainee activation (working set)", "memory-per-trainee", 4096,
    "includes the trainee's user-grain activation; see the memory figures");
report.AddBound("r6h", "6. memory per trainee activation (live managed heap)", "memory-heap-per-trainee", 4096,
    "includes the trainee's user-grain activation");
report.AddBound("r6t", "6. memory per idle trainee activation alone (live managed heap)", "memory-heap-per-trainee-alone", 4096,
    "empty state included (a few hundred bytes)");
report.AddBound("c2", "console: assessment appears on its coach's open page, p99 (200 sessions)", "console-appear-p99", 1000);
report.Environment["wall time"] = $"{total.Elapsed.TotalSeconds:0.0} s";
var (jsonPath, mdPath) = report.Write(options.ResultsFolder);
Console.WriteLine();
Console.WriteLine(report.Markdown());
Console.WriteLine($"Wrote {jsonPath} and {mdPath} ({total.Elapsed.TotalSeconds:0.0} s).");
return 0;

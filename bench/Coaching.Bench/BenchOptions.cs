using System.Globalization;

namespace Coaching.Bench;

/// <summary>What to run against and for how long (see README, Benchmarks).</summary>
public sealed record BenchOptions
{
    /// <summary>Target a running service instead of starting one (ceiling C and memory need more, see below).</summary>
    public Uri? Url { get; init; }

    /// <summary>A PostgreSQL server to use instead of starting a throwaway one (the bench creates a database on it).</summary>
    public string? Postgres { get; init; }

    /// <summary>Run the service in memory (no PostgreSQL): no ceiling C, no durable figure.</summary>
    public bool InMemory { get; init; }

    public bool Quick { get; init; }

    /// <summary>Concurrent requests (and connections), the same for ceilings and service.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Concurrent batch requests (ceiling B and the service's batch phase alike).</summary>
    public int BatchConcurrency => Math.Max(2, Concurrency / 16);

    /// <summary>Npgsql pool size given to the service and to ceiling C.</summary>
    public int PoolSize { get; init; } = 50;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Distinct trainees touched by the memory phase.</summary>
    public int MemoryTrainees { get; init; } = 100_000;

    /// <summary>Known trainees (users) the matching events cycle through.</summary>
    public int Trainees { get; init; } = 2_000;

    /// <summary>Only these phases (by key, e.g. <c>ceiling-a,ceiling-b</c>); all when empty.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Extra environment variables for the service process (<c>--service-env KEY=VALUE</c>).</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Hard stop for the whole run.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);

    public string? ResultsFolder { get; init; }

    /// <summary>Record a CPU sample profile of the service during this phase (slows that phase: use a separate run).</summary>
    public string? Profile { get; init; }

    /// <summary>Service assembly to run instead of the one built beside the bench (e.g. another branch's build).</summary>
    public string? ServiceDll { get; init; }

    /// <summary>Console sessions opened by the opt-in <c>console</c> phase (only with <c>--only ...,console</c>).</summary>
    public int ConsoleUsers { get; init; } = 200;

    /// <summary>Pages (circuits) per signed-in coach in the console phase.</summary>
    public int ConsolePagesPerCoach { get; init; } = 5;

    /// <summary>Events/s during the console phase; null: half of this run's single-match figure, else 548 (half of the last recorded one).</summary>
    public double? ConsoleRate { get; init; }

    public bool Runs(string phase) => Only.Count == 0 || Only.Contains(phase);

    public const string Usage = """
        Coaching.Bench: load generator measuring the service against ceilings taken in the same run.

          --quick                 short phases (whole run under 60 s)
          --url <http://...>      target a running service (give --postgres too for ceiling C; tokens must be
                                  accepted: the service must trust the bench's issuer/key, see README)
          --postgres <connstr>    use this PostgreSQL server (the bench creates its own database on it)
          --in-memory             start the service without PostgreSQL (no ceiling C, no durable figure)
          --concurrency <n>       concurrent requests/connections, same for ceilings and service (default 64;
                                  batches of 1,000 go n/16 at a time, again the same for ceiling B and the service)
          --pool <n>              Npgsql pool size for the service and ceiling C (default 50)
          --warmup <s> --duration <s>   per phase (default 3 and 10; --quick 0.5 and 2)
          --memory-trainees <n>   trainees touched by the memory phase (default 100000; --quick 3000)
          --trainees <n>          known trainees the matching events cycle through (default 2000; --quick 300)
          --only <a,b,...>        phases: ceiling-a, ceiling-b, ceiling-c, single-nomatch, single-match,
                                  batch, live-query, memory; and console (opt-in: only when named here)
          --console-users <n>     console phase: signed-in sessions with a live coach home (default 200)
          --console-pages-per-coach <n>   pages per signed-in coach (default 5)
          --console-rate <r>      console phase: events/s (default half of this run's single-match, else 548)
          --service-env K=V       extra environment variable for the service process (repeatable)
          --profile <phase>       CPU sample profile of the service during one service phase (single-nomatch,
                                  single-match, batch); summary in the results folder. Slows that phase.
          --service-dll <path>    run this Coaching.Api.dll instead of src/Api's build of the same configuration
          --results <folder>      where to write JSON and markdown (default bench/results)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        bool quick = args.Contains("--quick");
        if (quick)
        {
            options = options with
            {
                Quick = true,
                Warmup = TimeSpan.FromSeconds(0.5),
                Duration = TimeSpan.FromSeconds(2),
                MemoryTrainees = 3_000,
                Trainees = 300,
                Concurrency = 32,
                Deadline = TimeSpan.FromSeconds(50), // leaves time to stop the service and PostgreSQL
            };
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            TimeSpan NextSeconds() => TimeSpan.FromSeconds(double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture));
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--url":
                    options = options with { Url = new Uri(Next()) };
                    break;
                case "--postgres":
                    options = options with { Postgres = Next() };
                    break;
                case "--in-memory":
                    options = options with { InMemory = true };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = Math.Max(1, NextInt()) };
                    break;
                case "--pool":
                    options = options with { PoolSize = Math.Max(1, NextInt()) };
                    break;
                case "--warmup":
                    options = options with { Warmup = NextSeconds() };
                    break;
                case "--duration":
                    options = options with { Duration = NextSeconds() };
                    break;
                case "--memory-trainees":
                    options = options with { MemoryTrainees = Math.Max(1000, NextInt()) };
                    break;
                case "--trainees":
                    options = options with { Trainees = Math.Max(1, NextInt()) };
                    break;
                case "--only":
                    options = options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) };
                    break;
                case "--service-env":
                    var pair = Next();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--service-env takes KEY=VALUE.");
                    }

                    env[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--profile":
                    options = options with { Profile = Next() };
                    break;
                case "--service-dll":
                    options = options with { ServiceDll = Path.GetFullPath(Next()) };
                    break;
                case "--console-users":
                    options = options with { ConsoleUsers = Math.Max(1, NextInt()) };
                    break;
                case "--console-pages-per-coach":
                    options = options with { ConsolePagesPerCoach = Math.Max(1, NextInt()) };
                    break;
                case "--console-rate":
                    options = options with { ConsoleRate = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture) };
                    break;
                case "--results":
                    options = options with { ResultsFolder = Next() };
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (options.Url is { } url && !url.IsLoopback)
        {
            throw new ArgumentException("Load is generated on loopback only: --url must be a loopback address.");
        }

        return options with { ServiceEnvironment = env };
    }
}

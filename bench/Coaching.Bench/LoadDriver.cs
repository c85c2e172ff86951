using System.Diagnostics;

namespace Coaching.Bench;

/// <summary>What one operation did: whether it succeeded, how many items (events, rows) it carried and how many
/// assessments it reports created.</summary>
public readonly record struct OperationResult(bool Ok, int Items, int Created = 0, int Status = 0);

/// <summary>Counts and latencies of one measured phase.</summary>
public sealed class LoadResult
{
    public required string Name { get; init; }

    public double Seconds { get; init; }

    /// <summary>Successful operations credited to the window (fractions for those straddling its edges).</summary>
    public double Operations { get; init; }

    /// <summary>Successful operations that overlapped the window.</summary>
    public long Completed { get; init; }

    public long Failures { get; init; }

    public double Items { get; init; }

    public double Created { get; init; }

    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();

    /// <summary>Latencies of successful operations, milliseconds, sorted.</summary>
    public double[] LatenciesMs { get; init; } = [];

    public double OperationsPerSecond => Seconds > 0 ? Operations / Seconds : 0;

    public double ItemsPerSecond => Seconds > 0 ? Items / Seconds : 0;

    public double CreatedPerSecond => Seconds > 0 ? Created / Seconds : 0;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(rank, 0, LatenciesMs.Length - 1)];
    }

    public string StatusSummary => string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "error" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {s.Value}"));
}

/// <summary>
/// Runs an operation from many concurrent workers for a warm-up and then a measured window, bounded in time and
/// in count, and stops by itself. Closed loop (each worker sends its next request when the last one answered)
/// unless a rate is given, then each worker keeps its share of that rate.
/// </summary>
public static class LoadDriver
{
    /// <summary>Upper bound of operations per phase, whatever the duration.</summary>
    public const long MaxOperations = 5_000_000;

    private const int MaxSamplesPerWorker = 200_000;

    public static async Task<LoadResult> Run(
        string name,
        int concurrency,
        TimeSpan warmup,
        TimeSpan duration,
        Func<int, long, CancellationToken, Task<OperationResult>> operation,
        double? ratePerSecond = null,
        long maxOperations = MaxOperations,
        CancellationToken cancellationToken = default)
    {
        var sequence = -1L;
        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Requests still in flight at the end get a grace period (so they do not spill into the next phase), then are cancelled.
        stop.CancelAfter(warmup + duration + Grace(duration));
        var workers = new Worker[concurrency];
        var interval = ratePerSecond is > 0 ? concurrency / ratePerSecond.Value : 0;
        var tasks = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = workers[w] = new Worker();
            var index = w;
            tasks[w] = Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                // Spread the paced workers' first sends over one interval.
                var next = interval > 0 ? start + (long)(interval * Stopwatch.Frequency * index / concurrency) : start;
                while (!stop.IsCancellationRequested)
                {
                    var now = Stopwatch.GetTimestamp();
                    if (now >= stopAt)
                    {
                        break;
                    }

                    if (interval > 0)
                    {
                        if (next > now)
                        {
                            await Task.Delay(TimeSpan.FromSeconds((double)(next - now) / Stopwatch.Frequency), stop.Token).ConfigureAwait(false);
                        }

                        next += (long)(interval * Stopwatch.Frequency);
                    }

                    var n = Interlocked.Increment(ref sequence);
                    if (n >= maxOperations)
                    {
                        break;
                    }

                    var began = Stopwatch.GetTimestamp();
                    OperationResult result;
                    try
                    {
                        result = await operation(index, n, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or Npgsql.NpgsqlException)
                    {
                        result = new OperationResult(false, 0, 0, 0);
                        worker.LastError = ex.Message;
                    }

                    var ended = Stopwatch.GetTimestamp();
                    // Throughput: each completed operation is credited with the share of its items that falls inside
                    // the measured window (so long batches that straddle its edges count for what they did there).
                    // Latency: operations completed inside the window.
                    var overlap = Math.Min(ended, stopAt) - Math.Max(began, measureFrom);
                    if (overlap > 0)
                    {
                        var share = ended > began ? (double)overlap / (ended - began) : 1;
                        worker.Record(result, share, ended >= measureFrom && ended <= stopAt ? (ended - began) * 1000.0 / Stopwatch.Frequency : null);
                    }
                }
            }, CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The phase's own time bound (or the run's deadline) stopped it: what was measured stands.
        }

        var measuredEnd = Math.Min(Stopwatch.GetTimestamp(), stopAt);
        var seconds = Math.Max(0, (double)(measuredEnd - measureFrom) / Stopwatch.Frequency);
        var statuses = new Dictionary<int, long>();
        foreach (var worker in workers)
        {
            foreach (var (status, count) in worker.Statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + count;
            }
        }

        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        var error = workers.Select(w => w.LastError).FirstOrDefault(e => e is not null);
        if (error is not null)
        {
            Console.Error.WriteLine($"  [{name}] last transport error: {error}");
        }

        return new LoadResult
        {
            Name = name,
            Seconds = seconds,
            Operations = workers.Sum(w => w.Operations),
            Completed = workers.Sum(w => w.Ok),
            Failures = workers.Sum(w => w.Failed),
            Items = workers.Sum(w => w.Items),
            Created = workers.Sum(w => w.Created),
            Statuses = statuses,
            LatenciesMs = latencies,
        };
    }

    private static TimeSpan Grace(TimeSpan duration) => duration < TimeSpan.FromSeconds(10) ? duration : TimeSpan.FromSeconds(10);

    private sealed class Worker
    {
        public long Ok;
        public long Failed;
        public double Operations;
        public double Items;
        public double Created;
        public string? LastError;
        public readonly Dictionary<int, long> Statuses = [];
        public readonly List<double> Latencies = [];

        public void Record(OperationResult result, double share, double? milliseconds)
        {
            Statuses[result.Status] = Statuses.GetValueOrDefault(result.Status) + 1;
            if (!result.Ok)
            {
                Failed++;
                return;
            }

            Ok++;
            Operations += share;
            Items += result.Items * share;
            Created += result.Created * share;
            if (milliseconds is { } ms && Latencies.Count < MaxSamplesPerWorker)
            {
                Latencies.Add(ms);
            }
        }
    }
}

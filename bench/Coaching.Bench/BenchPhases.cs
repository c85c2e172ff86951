using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Microsoft.Diagnostics.NETCore.Client;

namespace Coaching.Bench;

/// <summary>The measured phases. Each warms up, then measures for the configured duration, then stops.</summary>
public sealed class BenchPhases(BenchOptions options, Report report, BenchTokens tokens, string runId, CancellationToken cancellationToken)
{
    public const int BatchSize = 1000;

    private readonly string integrationToken = tokens.For("bench-integration", "integration");
    private readonly string adminToken = tokens.For("bench-admin", "coaching.admin");
    private BenchHttp? serviceHttp;
    private string Table => $"bench-{runId}-incident";
    private string TraineePrefix => $"bench-{runId}-t-";
    private string MemoryTraineePrefix => $"bench-{runId}-m-";
    private string CoachGroup => $"bench-{runId}-coaches";
    private string[] Coaches => [.. Enumerable.Range(1, 4).Select(i => $"bench-{runId}-coach-{i}")];

    /// <summary>The service's process id when the bench started it (CPU and memory readings).</summary>
    public int? ServicePid { get; set; }

    /// <summary>The PostgreSQL server's postmaster when the bench started it (CPU per phase).</summary>
    public int? PostmasterPid { get; set; }

    /// <summary>The service's database, for PostgreSQL's own counters around each phase.</summary>
    public string? Postgres { get; set; }

    private async Task<PgCounters?> ReadPostgres()
    {
        if (Postgres is null)
        {
            return null;
        }

        try
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT pg_stat_force_next_flush(); SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_fetched, tup_returned FROM pg_stat_database WHERE datname = current_database()",
                connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new PgCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4))
                : null;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    private readonly record struct PgCounters(long Transactions, long Inserted, long Updated, long Fetched, long Returned);

    /// <summary>
    /// The plan and cost of the storage provider's read of one grain state row (the query every activation of a
    /// persistent grain runs), taken on the largest state name after the phases: a profile of the per-event path's
    /// first PostgreSQL round trip.
    /// </summary>
    public async Task ExplainStateRead()
    {
        if (Postgres is null)
        {
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync(cancellationToken);
            await using var sizes = new NpgsqlCommand(
                "SELECT state_name, count(*) FROM orleans_grain_state GROUP BY state_name ORDER BY count(*) DESC", connection);
            var rows = new List<string>();
            await using (var reader = await sizes.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add($"{reader.GetString(0)}: {reader.GetInt64(1)}");
                }
            }

            report.Counters["postgres.grain-state-rows"] = string.Join(", ", rows);
            await using (var tables = new NpgsqlCommand(
                "SELECT pg_stat_force_next_flush(); SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, seq_scan, coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables ORDER BY n_tup_ins + n_tup_upd DESC", connection))
            await using (var reader = await tables.ExecuteReaderAsync(cancellationToken))
            {
                await reader.NextResultAsync(cancellationToken);
                var stats = new List<string>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    stats.Add($"{reader.GetString(0)}: {reader.GetInt64(1)} inserted, {reader.GetInt64(2)} updated, {reader.GetInt64(3)} deleted, {reader.GetInt64(4)} seq scans, {reader.GetInt64(5)} index rows fetched");
                }

                report.Counters["postgres.tables"] = string.Join("; ", stats);
            }

            var query = (string?)await new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = 'ReadFromStorageKey'", connection).ExecuteScalarAsync(cancellationToken);
            await using var pick = new NpgsqlCommand(
                "SELECT service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension FROM orleans_grain_state " +
                "WHERE state_name = (SELECT state_name FROM orleans_grain_state GROUP BY state_name ORDER BY count(*) DESC LIMIT 1) ORDER BY modified_at DESC LIMIT 1", connection);
            object[] key;
            await using (var reader = await pick.ExecuteReaderAsync(cancellationToken))
            {
                if (query is null || !await reader.ReadAsync(cancellationToken))
                {
                    return;
                }

                key = [reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.IsDBNull(4) ? DBNull.Value : reader.GetString(4)];
            }

            var sql = query.Replace("@ServiceId", "$1", StringComparison.Ordinal).Replace("@GrainTypeString", "$2", StringComparison.Ordinal)
                .Replace("@GrainIdN0", "$3", StringComparison.Ordinal).Replace("@GrainIdN1", "$4", StringComparison.Ordinal)
                .Replace("@GrainIdExtensionString", "$5::varchar", StringComparison.Ordinal);
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, connection);
            foreach (var value in key)
            {
                explain.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    plan.Add(reader.GetString(0).Trim());
                }
            }

            report.Counters["postgres.state-read-plan"] = string.Join(" | ", plan);
            Console.WriteLine($"  state read plan ({rows.FirstOrDefault()}): {string.Join(" | ", plan)}");
        }
        catch (NpgsqlException ex)
        {
            report.Notes.Add($"Could not explain the state read: {ex.Message}");
        }
    }

    private async Task<LoadResult> Load(string name, Func<int, long, CancellationToken, Task<OperationResult>> operation, int? concurrency = null, double? rate = null, TimeSpan? duration = null, string? key = null)
    {
        Console.WriteLine($"- {name}...");
        var pgBefore = await ReadPostgres();
        var batcherBefore = await ReadBatcher();
        ServiceProfile.Recording? recording = null;
        if (key is not null && options.Profile == key && ServicePid is { } pid)
        {
            recording = await ServiceProfile.Start(pid, Path.Combine(options.ResultsFolder ?? Report.DefaultFolder, $"profile-{runId}-{key}.nettrace"), cancellationToken);
        }

        var before = CpuSample.Take(ServicePid, PostmasterPid);
        var result = await LoadDriver.Run(name, concurrency ?? options.Concurrency, options.Warmup, duration ?? options.Duration, operation, rate, cancellationToken: cancellationToken);
        if (recording is not null)
        {
            await recording.Stop();
            var summary = ServiceProfile.Summarize(recording.Path);
            var summaryPath = Path.ChangeExtension(recording.Path, ".txt");
            await File.WriteAllTextAsync(summaryPath, summary, cancellationToken);
            report.Counters["profile." + key] = summary;
            report.Notes.Add($"{name}: profiled (this phase's figure is slowed by the profiler); summary in {Path.GetFileName(summaryPath)}.");
            Console.WriteLine(string.Join(Environment.NewLine, summary.Split('\n').Take(30).Select(l => "    " + l.TrimEnd())));
        }

        var cpu = before.Describe(CpuSample.Take(ServicePid, PostmasterPid), ServicePid is not null);
        report.Counters[name + ".cpu"] = cpu;
        Console.WriteLine($"    {cpu}");
        await Settle(name);
        if (pgBefore is { } b && await ReadPostgres() is { } a)
        {
            // Whole phase (warm-up included): per item answered in the phase, as far as the counters tell.
            var pg = string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL: {a.Transactions - b.Transactions} transactions, {a.Inserted - b.Inserted} rows inserted, {a.Updated - b.Updated} updated, {a.Fetched - b.Fetched} fetched by index, {a.Returned - b.Returned} returned by scans");
            report.Counters[name + ".postgres"] = pg;
            Console.WriteLine($"    {pg}");
        }

        if (batcherBefore is { } bb && await ReadBatcher() is { } ba && ba.Batches > bb.Batches)
        {
            var (statements, batches) = (ba.Statements - bb.Statements, ba.Batches - bb.Batches);
            var batched = string.Create(CultureInfo.InvariantCulture,
                $"service's group-commit batcher: {statements:F0} statements in {batches:F0} round trips ({statements / batches:F1} per commit)");
            report.Counters[name + ".batcher"] = batched;
            Console.WriteLine($"    {batched}");
        }

        return result;
    }

    /// <summary>The service's batcher counters (statements, round trips) from its metrics page; null without PostgreSQL.</summary>
    private async Task<(double Statements, double Batches)?> ReadBatcher()
    {
        if (serviceHttp is not { } http)
        {
            return null;
        }

        try
        {
            var (status, page) = await http.Send(HttpMethod.Get, "/metrics", null, adminToken, cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                return null;
            }

            var metrics = ServiceMemory.Metrics(page, "coaching_postgres_");
            return metrics.FirstOrDefault(m => m.Key.Contains("statements", StringComparison.Ordinal)).Value is var statements
                && metrics.FirstOrDefault(m => m.Key.Contains("batches", StringComparison.Ordinal)).Value is var batches
                ? (statements, batches)
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// Requests cancelled at the end of a phase go on inside the service: wait until its CPU use drops (below 0.25 of
    /// a core over half a second) so one phase's backlog does not run into the next, at most 20 s (quick: 2 s).
    /// </summary>
    private async Task Settle(string name)
    {
        if (ServicePid is not { } pid)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(options.Quick ? 2 : 20);
        while (started.Elapsed < limit)
        {
            var before = CpuSample.ProcessSeconds(pid);
            await Task.Delay(500, cancellationToken);
            if ((CpuSample.ProcessSeconds(pid) - before) / 0.5 < 0.25)
            {
                break;
            }
        }

        report.Counters[name + ".settled-after"] = $"{started.Elapsed.TotalSeconds:0.0} s";
    }

    private void Check(LoadResult result)
    {
        report.Counters[result.Name + ".statuses"] = result.StatusSummary;
        if (result.Failures > 0)
        {
            report.Notes.Add($"{result.Name}: {result.Failures} of {result.Failures + result.Completed} requests failed ({result.StatusSummary}).");
        }
    }

    public async Task CeilingA(Uri address)
    {
        var bodies = EventBodies.Create($"ca-{runId}-", Table, matching: false, TraineePrefix, n => n % options.Trainees, 1);
        using var http = new BenchHttp(address, options.Concurrency);
        var result = await Load("ceiling A (bare Kestrel, single events)", (_, n, ct) => http.PostEvents("/v1/events", bodies.Render(n), 1, integrationToken, ct));
        Check(result);
        report.Add(new Figure("ceiling-a", "ceiling A: bare endpoint, single events", result.ItemsPerSecond, "events/s",
            $"deserialize one event ({bodies.Length} B) and answer 200; p50 {Report.Format(result.Percentile(50))} ms, p99 {Report.Format(result.Percentile(99))} ms"));
    }

    public async Task CeilingB(Uri address)
    {
        var bodies = EventBodies.Create($"cb-{runId}-", Table, matching: false, TraineePrefix, n => n % options.Trainees, BatchSize);
        using var http = new BenchHttp(address, options.Concurrency);
        var result = await Load("ceiling B (bare Kestrel, batches of 1,000)", (_, n, ct) => http.PostEvents("/v1/events/batch", bodies.Render(n), BatchSize, integrationToken, ct),
            concurrency: options.BatchConcurrency);
        Check(result);
        report.Add(new Figure("ceiling-b", "ceiling B: bare endpoint, batches of 1,000", result.ItemsPerSecond, "events/s",
            $"{Report.Format(result.OperationsPerSecond)} batches/s of {bodies.Length / 1024} KiB, {options.BatchConcurrency} at a time; p50 {Report.Format(result.Percentile(50))} ms"));
    }

    public async Task CeilingC(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand(
            "CREATE TABLE IF NOT EXISTS bench_ceiling_upsert (grain_id text PRIMARY KEY, payload bytea NOT NULL, version integer NOT NULL, modified_on timestamptz NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // About the size of a new assessment's stored state.
        var payload = new byte[600];
        Random.Shared.NextBytes(payload);
        var result = await Load("ceiling C (raw Npgsql single-row upserts)", async (_, n, ct) =>
        {
            await using var upsert = dataSource.CreateCommand(
                "INSERT INTO bench_ceiling_upsert (grain_id, payload, version, modified_on) VALUES ($1, $2, 1, now()) " +
                "ON CONFLICT (grain_id) DO UPDATE SET payload = excluded.payload, version = bench_ceiling_upsert.version + 1, modified_on = excluded.modified_on");
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "assessment/" + n.ToString(CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Text });
            upsert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
            var rows = await upsert.ExecuteNonQueryAsync(ct);
            return new OperationResult(rows == 1, 1, 0, 200);
        });
        Check(result);
        report.Add(new Figure("ceiling-c", "ceiling C: raw Npgsql single-row upserts", result.ItemsPerSecond, "rows/s",
            $"one autocommit INSERT .. ON CONFLICT DO UPDATE of a new 600 B row per call, pool {options.PoolSize}, {options.Concurrency} concurrent; p50 {Report.Format(result.Percentile(50))} ms"));
    }

    /// <summary>Seeds a service and measures the memory per trainee activation on it.</summary>
    public async Task MemoryPhase(ServiceProcess process)
    {
        using var http = new BenchHttp(process.Address, options.Concurrency + 8);
        if (await Seed(http))
        {
            await Memory(http, process);
        }
    }

    public async Task Service(Uri address, bool durable)
    {
        using var http = new BenchHttp(address, options.Concurrency + 8);
        serviceHttp = http;
        if (!await Seed(http))
        {
            return;
        }

        var nomatch = EventBodies.Create($"nm-{runId}-", Table, matching: false, TraineePrefix, n => n % options.Trainees, 1);
        var match = EventBodies.Create($"m-{runId}-", Table, matching: true, TraineePrefix, n => n % options.Trainees, 1);

        if (options.Runs("single-nomatch"))
        {
            var result = await Load("service: single events, matching no opportunity",
                (_, n, ct) => http.PostEvents("/v1/events", nomatch.Render(n), 1, integrationToken, ct), key: "single-nomatch");
            Check(result);
            report.Add(new Figure("single-nomatch", "service: single events matching no opportunity", result.ItemsPerSecond, "events/s",
                $"POST /v1/events, one active opportunity on the table whose moment does not match; p50 {Report.Format(result.Percentile(50))} ms, p99 {Report.Format(result.Percentile(99))} ms"));
        }

        double matchRate = 0;
        if (options.Runs("single-match") || options.Runs("live-query"))
        {
            var result = await Load("service: single events matching an opportunity",
                (_, n, ct) => http.PostEvents("/v1/events", match.Render(n), 1, integrationToken, ct), key: "single-match");
            Check(result);
            matchRate = result.ItemsPerSecond;
            report.Add(new Figure("single-match", "service: single events matching an opportunity", result.ItemsPerSecond, "events/s",
                $"each creates an assessment for one of {options.Trainees} known trainees (no duplicate window, 100% sampled); p50 {Report.Format(result.Percentile(50))} ms, p99 {Report.Format(result.Percentile(99))} ms"));
            report.Add(new Figure(durable ? "assessments-durable" : "assessments-memory",
                durable ? "service: durable assessments created on PostgreSQL" : "service: assessments created (in memory)",
                result.CreatedPerSecond, "assessments/s",
                $"'created' outcomes answered per second during the matching phase ({result.Created:#,0} in {result.Seconds:0.0} s)"));
        }

        if (options.Runs("batch"))
        {
            var batches = EventBodies.Create($"b-{runId}-", Table, matching: false, TraineePrefix, n => n % options.Trainees, BatchSize);
            var result = await Load("service: batches of 1,000 events",
                (_, n, ct) => http.PostEvents("/v1/events/batch", batches.Render(n), BatchSize, integrationToken, ct), concurrency: options.BatchConcurrency, key: "batch");
            Check(result);
            report.Add(new Figure("batch", "service: batch ingestion, 1,000 events per request", result.ItemsPerSecond, "events/s",
                $"POST /v1/events/batch, events matching no opportunity, {options.BatchConcurrency} at a time; {Report.Format(result.OperationsPerSecond)} batches/s, p50 {Report.Format(result.Percentile(50))} ms"));
        }

        if (options.Runs("live-query") && matchRate > 0)
        {
            await LiveQuery(http, match, matchRate / 2);
        }
    }

    /// <summary>Users, a coach group and one opportunity whose moment is "assigned_to changes" on the bench's table.</summary>
    private async Task<bool> Seed(BenchHttp http)
    {
        Console.WriteLine($"- seeding {options.Trainees} trainees, {Coaches.Length} coaches, one opportunity on {Table}...");
        var users = Coaches.Concat(Enumerable.Range(0, options.Trainees).Select(i => TraineePrefix + i.ToString("D6", CultureInfo.InvariantCulture))).ToArray();
        var failed = 0;
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (user, ct) =>
        {
            var (status, _) = await http.Send(HttpMethod.Put, $"/v1/users/{user}", JsonSerializer.Serialize(new { displayName = user }), adminToken, ct);
            if (status != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref failed);
            }
        });
        var group = await http.Send(HttpMethod.Put, $"/v1/groups/{CoachGroup}", JsonSerializer.Serialize(new { displayName = "Bench coaches", members = Coaches }), adminToken, cancellationToken);
        var opportunity = new Dictionary<string, object?>
        {
            ["name"] = "Bench: coaching on incident reassignment",
            ["active"] = true,
            ["sourceTable"] = Table,
            ["traineeField"] = "assigned_to",
            ["coachGroup"] = CoachGroup,
            ["moment"] = new { all = new[] { new { field = "assigned_to", @operator = "changes" } } },
            ["snapshotFields"] = new[] { "resolution_code", "work_notes" },
            ["randomSamplePercent"] = 100,
            ["assessmentDuration"] = "P5D",
            ["closeOnExpiry"] = true,
            ["preventDuplicates"] = false,
            ["completion"] = "coach",
        };
        var created = await http.Send(HttpMethod.Post, "/v1/opportunities", JsonSerializer.Serialize(opportunity), adminToken, cancellationToken);
        if (failed > 0 || group.Status != HttpStatusCode.OK || created.Status != HttpStatusCode.Created)
        {
            var why = $"Service phases skipped: seeding failed (users failed: {failed}, group: {(int)group.Status}, opportunity: {(int)created.Status} {Trim(created.Body)}).";
            Console.Error.WriteLine(why);
            report.Notes.Add(why);
            return false;
        }

        // Ready when a matching event creates an assessment (the opportunity applies at once; the service may still be warming).
        var probe = EventBodies.Create($"probe-{runId}-", Table, matching: true, TraineePrefix, _ => 0, 1);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var answer = await http.PostEvents("/v1/events", probe.Render(attempt), 1, integrationToken, cancellationToken);
            if (answer.Created > 0)
            {
                return true;
            }

            if (!answer.Ok)
            {
                report.Notes.Add($"Service phases skipped: POST /v1/events answered {answer.Status}.");
                Console.Error.WriteLine(report.Notes[^1]);
                return false;
            }

            await Task.Delay(250, cancellationToken);
        }

        report.Notes.Add("Service phases skipped: matching events created no assessment within 10 s of creating the opportunity.");
        Console.Error.WriteLine(report.Notes[^1]);
        return false;
    }

    /// <summary>A coach's live query, sequential from 2 clients, while matching events arrive at a paced rate.</summary>
    private async Task LiveQuery(BenchHttp http, EventBodies match, double rate)
    {
        var coachToken = tokens.For(Coaches[0], "coach");
        var path = $"/v1/coaches/{Coaches[0]}/assessments?state=New,InProgress";
        var offset = 50_000_000L;
        var ingestion = Load($"service: matching events paced at {rate:0} events/s (half of max)",
            (_, n, ct) => http.PostEvents("/v1/events", match.Render(offset + n), 1, integrationToken, ct), rate: rate);
        var queries = Load("service: coach live query", (_, _, ct) => http.Get(path, coachToken, ct), concurrency: 2);
        var ingested = await ingestion;
        var queried = await queries;
        Check(ingested);
        Check(queried);
        report.Add(new Figure("live-p50", "coach live query p50 while ingesting at half of max", queried.Percentile(50), "ms",
            $"GET /v1/coaches/{{id}}/assessments from 2 sequential clients, {queried.Completed:#,0} queries; ingestion achieved {Report.Format(ingested.ItemsPerSecond)} of {Report.Format(rate)} events/s asked"));
        report.Add(new Figure("live-p99", "coach live query p99 while ingesting at half of max", queried.Percentile(99), "ms", "same run"));
    }

    /// <summary>
    /// Memory of the service before and after touching distinct trainees. A control step first sends as many events
    /// that match nothing (their first answers are rows, not activations); then as many matching events, each for a new
    /// trainee the directory does not know (answered unknown-trainee: the trainee grain activates with empty state
    /// and asks its user grain, which activates too). Each reading follows a full GC induced in the service.
    /// Per trainee = (second delta - control delta) / count, for the working set and for the live managed heap.
    /// </summary>
    private async Task Memory(BenchHttp http, ServiceProcess process)
    {
        var count = options.MemoryTrainees;
        var batches = (count + BatchSize - 1) / BatchSize;
        count = batches * BatchSize;
        Console.WriteLine($"- memory: {count:#,0} trainees touched (control: {count:#,0} non-matching events first)...");
        var control = EventBodies.Create($"mc-{runId}-", Table, matching: false, MemoryTraineePrefix, n => n, BatchSize);
        var touch = EventBodies.Create($"mt-{runId}-", Table, matching: true, MemoryTraineePrefix, n => n, BatchSize);

        // The control step may use at most this long; the trainee step then sends exactly as many batches.
        var budget = options.Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(150);
        async Task<(int Batches, string Statuses)> Send(EventBodies bodies, int limit, TimeSpan? timeBudget)
        {
            var statuses = new Dictionary<int, int>();
            var done = 0;
            var next = -1;
            var stopAt = timeBudget is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
            await Task.WhenAll(Enumerable.Range(0, options.BatchConcurrency).Select(async _ =>
            {
                while (DateTime.UtcNow < stopAt && Interlocked.Increment(ref next) is var b && b < limit)
                {
                    var answer = await http.PostEvents("/v1/events/batch", bodies.Render(b), BatchSize, integrationToken, cancellationToken);
                    lock (statuses)
                    {
                        statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
                        done++;
                    }
                }
            }));
            return (done, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        }

        async Task<Reading> Read(string step)
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Quick ? 0.3 : 1), cancellationToken);
            var induced = true;
            try
            {
                for (var i = 0; i < (options.Quick ? 1 : 2); i++)
                {
                    await ServiceMemory.InduceFullGc(process.ProcessId, options.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2), cancellationToken);
                }
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException or UnauthorizedAccessException)
            {
                induced = false;
                report.Notes.Add($"memory: could not induce a GC in the service ({ex.Message}); readings include garbage.");
            }

            var rss = process.WorkingSetBytes();
            var (status, page) = await http.Send(HttpMethod.Get, "/metrics", null, adminToken, cancellationToken);
            var metrics = status == HttpStatusCode.OK
                ? ServiceMemory.Metrics(page, "dotnet_gc_last_collection_heap_size_bytes", "orleans_catalog_activations", "dotnet_process_memory_working_set_bytes")
                : [];
            report.Counters[$"memory.{step}.metrics-page"] = $"{(int)status}, {page.Length} chars";
            if (step == "before")
            {
                File.WriteAllText(Path.Combine(options.ResultsFolder ?? Report.DefaultFolder, $"metrics-{runId}.txt"), page);
            }

            foreach (var (name, value) in metrics)
            {
                report.Counters[$"memory.{step}.{name}"] = value.ToString("0", CultureInfo.InvariantCulture);
            }

            var heap = metrics.GetValueOrDefault("dotnet_gc_last_collection_heap_size_bytes", double.NaN);
            var activations = metrics.GetValueOrDefault("orleans_catalog_activations", double.NaN);
            return new Reading(rss, heap, activations, induced);
        }

        var before = await Read("before");
        var (sent, controlStatuses) = await Send(control, batches, budget);
        report.Counters["memory.control.statuses"] = controlStatuses;
        if (sent < batches)
        {
            report.Notes.Add($"memory: the control step sent {sent * BatchSize:#,0} of {count:#,0} events within its {budget.TotalSeconds:0} s budget; both steps use that count.");
            batches = sent;
            count = sent * BatchSize;
        }

        var afterControl = await Read("after-control");
        report.Counters["memory.touch.statuses"] = (await Send(touch, batches, null)).Statuses;
        var afterTouch = await Read("after-trainees");

        // Third step: as many user-grain activations alone (GET of unknown users: 404), to take them out of the
        // trainee figure.
        var userStatuses = new Dictionary<int, int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var answer = await http.Get($"/v1/users/bench-{runId}-u-{i:D6}", adminToken, ct);
            lock (userStatuses)
            {
                userStatuses[answer.Status] = userStatuses.GetValueOrDefault(answer.Status) + 1;
            }
        });
        report.Counters["memory.users.statuses"] = string.Join(", ", userStatuses.Select(s => $"{s.Key}: {s.Value}"));
        var afterUsers = await Read("after-users");
        var controlDelta = afterControl.Rss - before.Rss;
        var touchDelta = afterTouch.Rss - afterControl.Rss;
        var gc = before.Induced && afterControl.Induced && afterTouch.Induced ? "after an induced full GC" : "GC not induced";
        report.Add(new Figure("memory-before", "service working set before", before.Rss / 1048576.0, "MiB", $"VmRSS of the service process before the control step, {gc}"));
        report.Add(new Figure("memory-control", "working set growth: non-matching events (control)", controlDelta / 1048576.0, "MiB",
            $"{count:#,0} events: their stored first answers (one row each, no activation)"));
        report.Add(new Figure("memory-touch", "working set growth: events touching new trainees", touchDelta / 1048576.0, "MiB",
            $"{count:#,0} events, each for a new unknown trainee: first answers + trainee + user activations"));
        report.Add(new Figure("memory-per-trainee", "memory per trainee activation (working set)", (double)(touchDelta - controlDelta) / count, "bytes",
            $"(trainee delta - control delta) / {count:#,0}: trainee grain (empty state) + its user grain activation + Orleans bookkeeping, {gc}"));
        report.Add(new Figure("memory-heap-per-trainee", "memory per trainee activation (live managed heap)",
            (afterTouch.Heap - afterControl.Heap - (afterControl.Heap - before.Heap)) / count, "bytes",
            $"same, from the service's GC heap size after the last collection (metrics), {gc}"));
        var controlActivations = afterControl.Activations - before.Activations;
        var touchActivations = afterTouch.Activations - afterControl.Activations;
        report.Add(new Figure("memory-activations-per-trainee", "activations added per trainee touched",
            (touchActivations - controlActivations) / count, "activations",
            $"orleans_catalog_activations: +{controlActivations:0} in the control step, +{touchActivations:0} touching trainees"));
        report.Add(new Figure("memory-heap-per-activation", "live managed heap per added activation",
            (afterTouch.Heap - afterControl.Heap - (afterControl.Heap - before.Heap)) / (touchActivations - controlActivations), "bytes",
            "heap delta beyond the control / activations beyond the control (trainee and user grains alike)"));
        var userActivations = afterUsers.Activations - afterTouch.Activations;
        var userHeap = afterUsers.Heap - afterTouch.Heap;
        report.Add(new Figure("memory-heap-per-user", "live managed heap per user-grain activation alone", userHeap / count, "bytes",
            $"{count:#,0} GETs of unknown users (404): +{userActivations:0} activations, +{userHeap / 1048576.0:0.0} MiB live heap"));
        report.Add(new Figure("memory-heap-per-trainee-alone", "live managed heap per idle trainee activation (user grain taken out)",
            (afterTouch.Heap - afterControl.Heap - (afterControl.Heap - before.Heap) - userHeap) / count, "bytes",
            "(trainee step - control step - user step) / trainees: the trainee grain with its empty state and Orleans' bookkeeping for it"));
    }

    private readonly record struct Reading(long Rss, double Heap, double Activations, bool Induced);

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "..." : text;
}

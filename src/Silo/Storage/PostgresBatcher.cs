using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Coaching.Telemetry;
using Npgsql;

namespace Coaching.Silo.Storage;

/// <summary>
/// Group commit for small statements: callers on every grain hand in one statement each; up to
/// <see cref="MaxInFlight"/> loops each take whatever is waiting (up to <see cref="MaxBatch"/> statements) and send it
/// as one <see cref="NpgsqlBatch"/>: one round trip and one commit for all of them. Under light load a statement goes
/// out alone at once; under heavy load batches fill by themselves, so there is no timer and no added wait.
/// </summary>
/// <remarks>
/// <para>A batch without an explicit transaction runs in one implicit transaction, so a caller's task completes only
/// once its statement is committed. Statements of a batch are sent in the order of their <see cref="Statement.LockKey"/>:
/// two batches touching the same rows take their locks in the same order and cannot deadlock each other.</para>
/// <para>If one statement fails (a PostgreSQL error, not a lost connection) the whole batch is rolled back; each
/// statement is then run again on its own, so only the one at fault fails.</para>
/// </remarks>
public sealed partial class PostgresBatcher : IAsyncDisposable
{
    public const int MaxBatch = 256;
    public const int MaxInFlight = 4;

    /// <summary>How often a batch the server rolled back for a deadlock or a serialization failure is sent again.</summary>
    public const int MaxRetries = 3;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger logger;
    private readonly Channel<Pending> waiting = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] loops;
    private long batchesSent;
    private long statementsSent;

    public PostgresBatcher(NpgsqlDataSource dataSource, ILogger<PostgresBatcher> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        // The loops belong to no caller: without this they would carry the trace of whichever request built the batcher.
        using (ExecutionContext.SuppressFlow())
        {
            loops = [.. Enumerable.Range(0, MaxInFlight).Select(_ => Task.Run(Loop))];
        }
    }

    /// <summary>Round trips made so far (each one commit).</summary>
    public long BatchesSent => Interlocked.Read(ref batchesSent);

    /// <summary>Statements sent so far.</summary>
    public long StatementsSent => Interlocked.Read(ref statementsSent);

    /// <summary>
    /// The batcher's own pool: statements it sends again and again are prepared on each connection, and connections
    /// skip the session reset (<see cref="PostgresConnections.WithoutSessionReset"/>).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnections.WithoutSessionReset(connectionString));
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        return builder.Build();
    }

    /// <summary>
    /// Runs one statement in the next batch and reads its rows. <paramref name="read"/> gets every row the statement
    /// returned, each as its column values (DBNull as null), once the batch is committed.
    /// </summary>
    public Task<T> Run<T>(Statement statement, Func<IReadOnlyList<object?[]>, T> read)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(read);
        var pending = new Pending<T>(statement, read);
        if (!waiting.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresBatcher));
        }

        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        waiting.Writer.TryComplete();
        await Task.WhenAll(loops).ConfigureAwait(false);
        await dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task Loop()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await waiting.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && waiting.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            batch.Sort(static (a, b) => string.CompareOrdinal(a.Statement.LockKey, b.Statement.LockKey));
            await Send(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task Send(List<Pending> batch, int attempt = 0)
    {
        try
        {
            var rows = await Execute(batch).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(rows[i]);
            }
        }
        catch (PostgresException e) when (attempt < MaxRetries && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            // The batch ran as one transaction, which the server rolled back whole: none of it is stored, so it runs
            // again as it was. (Two batches whose statements take overlapping rows in different orders can meet so.)
            LogBatchRetried(e, batch.Count, e.SqlState, attempt + 1);
            await Task.Delay(Random.Shared.Next(5, 50)).ConfigureAwait(false);
            await Send(batch, attempt + 1).ConfigureAwait(false);
        }
        catch (PostgresException e) when (batch.Count > 1)
        {
            // One statement spoiled the transaction for all: each gets its own try.
            LogBatchSplit(e, batch.Count, e.SqlState);
            foreach (var one in batch)
            {
                await Send([one]).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            foreach (var one in batch)
            {
                one.Fail(e);
            }
        }
    }

    private async Task<List<object?[]>[]> Execute(List<Pending> batch)
    {
        // One span per batch, linked to the span of every caller in it; the driver's own span is its child.
        using var span = CoachingMetrics.Activities.HasListeners()
            ? CoachingMetrics.Activities.StartActivity(
                "postgres batch", ActivityKind.Internal, parentContext: default,
                links: [.. batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller))])
            : null;
        span?.SetTag("coaching.batch.statements", batch.Count);
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlBatch(connection);
        foreach (var pending in batch)
        {
            var statement = new NpgsqlBatchCommand(pending.Statement.Sql);
            foreach (var value in pending.Statement.Parameters)
            {
                // A typed parameter is copied: a batch split after a failure sends the statement again.
                statement.Parameters.Add(value is NpgsqlParameter typed ? typed.Clone() : new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            command.BatchCommands.Add(statement);
        }

        Interlocked.Increment(ref batchesSent);
        Interlocked.Add(ref statementsSent, batch.Count);
        CoachingMetrics.PostgresBatches.Add(1);
        CoachingMetrics.PostgresStatements.Add(batch.Count);
        // The driver hands out result sets only: a statement that answers none (a write without RETURNING) would make
        // every later statement read its neighbour's rows. Each statement must answer one, so the count must match.
        var results = new List<List<object?[]>>(batch.Count);
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount == 0)
                {
                    continue;
                }

                var rows = new List<object?[]>();
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var row = new object?[reader.FieldCount];
                    for (var c = 0; c < row.Length; c++)
                    {
                        row[c] = reader.IsDBNull(c) ? null : reader.GetValue(c);
                    }

                    rows.Add(row);
                }

                results.Add(rows);
            }
            while (await reader.NextResultAsync().ConfigureAwait(false));
        }

        if (results.Count != batch.Count)
        {
            throw new InvalidOperationException(
                $"A batch of {batch.Count} statements answered {results.Count} result sets: every statement must answer rows " +
                "(a SELECT, or a write with RETURNING); no answer of this batch can be matched to its statement.");
        }

        return [.. results];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} statements was rolled back with {SqlState}; sending it again (attempt {Attempt})")]
    private partial void LogBatchRetried(Exception e, int count, string sqlState, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} statements failed with {SqlState}; running them one by one")]
    private partial void LogBatchSplit(Exception e, int count, string sqlState);

    /// <summary>
    /// One SQL statement with positional parameters ($1, $2, ...). It must answer a result set (a SELECT, or a write
    /// with RETURNING): answers are matched to statements by position.
    /// </summary>
    /// <param name="LockKey">Rows it locks, as a string: statements of a batch are sent in this order.</param>
    public sealed record Statement(string Sql, string LockKey, params object?[] Parameters)
    {
        public string Sql { get; } = AnswersRows(Sql)
            ? Sql
            : throw new ArgumentException("A batched statement must answer rows: a SELECT, or a write with RETURNING.", nameof(Sql));

        private static bool AnswersRows(string sql) =>
            sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            || sql.Contains("RETURNING", StringComparison.OrdinalIgnoreCase);
    }

    private abstract class Pending(Statement statement)
    {
        public Statement Statement { get; } = statement;

        /// <summary>The caller's span, if it is traced: the batch span links to it.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

        public abstract void Complete(IReadOnlyList<object?[]> rows);

        public abstract void Fail(Exception e);
    }

    private sealed class Pending<T>(Statement statement, Func<IReadOnlyList<object?[]>, T> read) : Pending(statement)
    {
        private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => done.Task;

        public override void Complete(IReadOnlyList<object?[]> rows)
        {
            try
            {
                done.TrySetResult(read(rows));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }

        public override void Fail(Exception e) => done.TrySetException(e);
    }
}

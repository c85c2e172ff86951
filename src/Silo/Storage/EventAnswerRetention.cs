using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Coaching.Silo.Storage;

/// <summary>The <c>Coaching:Events</c> section.</summary>
public sealed class EventAnswerOptions : ICheckedSettings
{
    public const string Section = "Coaching:Events";

    /// <summary>
    /// First answers older than this are deleted (<see cref="EventAnswerRetention"/>; ISO 8601 like <c>P30D</c>, or
    /// <c>d.hh:mm:ss</c>); unset, they are kept.
    /// </summary>
    public ConfiguredDuration? AnswerRetention { get; set; }

    public IEnumerable<string> Problems()
    {
        if (AnswerRetention is { } retention && retention.Value <= TimeSpan.Zero)
        {
            yield return $"{EventAnswerRetention.RetentionKey} must be positive.";
        }
    }
}

/// <summary>
/// Deletes first answers older than <c>Coaching:Events:AnswerRetention</c> (off unless set), once an hour, from one
/// silo at a time (an advisory lock), in chunks so that no statement holds many rows. An event replayed after its
/// answer is gone is taken as new: set the retention longer than any sender may replay.
/// </summary>
public sealed partial class EventAnswerRetention(
    string connectionString,
    string serviceId,
    TimeSpan retention,
    ILogger<EventAnswerRetention> logger) : BackgroundService
{
    public const string RetentionKey = EventAnswerOptions.Section + ":" + nameof(EventAnswerOptions.AnswerRetention);

    private const int Chunk = 10_000;

    // "Answers" in ASCII: one lock per database for whichever silo cleans.
    private const long LockKey = 0x416E7377657273;

    private static readonly TimeSpan Every = TimeSpan.FromHours(1);
    private static readonly TimeSpan FirstAfter = TimeSpan.FromMinutes(1);

    private const string DeleteSql =
        "DELETE FROM coaching_event_answers WHERE ctid = ANY (ARRAY(" +
        "SELECT ctid FROM coaching_event_answers WHERE service_id = $1 AND recorded_at < now() - $2 LIMIT $3))";

    /// <summary>One pass: deletes every answer older than the retention unless another silo holds the lock.</summary>
    /// <returns>Rows deleted, or null when another silo was cleaning.</returns>
    public async Task<long?> RunOnce(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }

        try
        {
            long deleted = 0;
            while (true)
            {
                await using var delete = new NpgsqlCommand(DeleteSql, connection);
                delete.Parameters.Add(new NpgsqlParameter { Value = serviceId });
                delete.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Interval, Value = retention });
                delete.Parameters.Add(new NpgsqlParameter { Value = Chunk });
                var rows = await delete.ExecuteNonQueryAsync(cancellationToken);
                deleted += rows;
                if (rows < Chunk)
                {
                    return deleted;
                }
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstAfter, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await RunOnce(stoppingToken) is { } deleted)
                    {
                        LogDeleted(deleted, retention);
                    }
                }
                catch (NpgsqlException e)
                {
                    LogFailed(e);
                }

                await Task.Delay(Every, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} event answers older than {Retention}")]
    private partial void LogDeleted(long count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting old event answers failed; trying again in an hour")]
    private partial void LogFailed(Exception e);
}

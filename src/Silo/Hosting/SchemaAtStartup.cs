using Coaching.Silo.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Coaching.Silo;

/// <summary>
/// Applies the PostgreSQL schema at the silo's very first lifecycle stage, before membership,
/// storage and reminders read their queries from OrleansQuery.
/// </summary>
internal sealed class SchemaAtStartup(string connectionString, ILogger<SchemaAtStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    // PostgreSQL often starts alongside the silos (docker compose): wait for it rather than fail.
    private static readonly TimeSpan PatienceForDatabase = TimeSpan.FromSeconds(60);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaAtStartup), ServiceLifecycleStage.First, ct => ApplyAsync(connectionString, logger, ct));

    internal static async Task ApplyAsync(string connectionString, ILogger logger, CancellationToken ct)
    {
        var giveUpAt = DateTime.UtcNow + PatienceForDatabase;
        while (true)
        {
            try
            {
                await PostgresSchema.ApplyAsync(connectionString, logger, ct).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTime.UtcNow < giveUpAt)
            {
                logger.LogWarning("PostgreSQL not reachable yet ({Reason}); retrying schema", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            }
        }
    }
}

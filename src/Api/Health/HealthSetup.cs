using Coaching.Silo;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Coaching.Api.Health;

/// <summary>The <c>Coaching:Health</c> section.</summary>
public sealed class ReadinessOptions
{
    public const string Section = "Coaching:Health";

    /// <summary>How long one readiness check answers every request before the next one runs.</summary>
    public ConfiguredDuration ReadinessCacheDuration { get; set; } = ConfiguredDuration.FromSeconds(5);
}

public static class HealthSetup
{
    private const string ReadyTag = "ready";

    /// <summary>The <c>application_name</c> of readiness's own database connection (one at most), to find it in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "coaching-health";

    public static IServiceCollection AddCoachingHealth(this IServiceCollection services)
    {
        services.AddOptions<ReadinessOptions>().BindConfiguration(ReadinessOptions.Section)
            .Validate(o => o.ReadinessCacheDuration > TimeSpan.Zero && o.ReadinessCacheDuration <= TimeSpan.FromMinutes(5),
                $"{ReadinessOptions.Section}:{nameof(ReadinessOptions.ReadinessCacheDuration)} must be more than zero and at most 5 minutes.")
            .ValidateOnStart();
        services.AddOptions<ConnectionStringOptions>().BindConfiguration(ConnectionStringOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Readiness>();
        services.AddHealthChecks().AddCheck<CachedReadiness>("ready", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapCoachingHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }

    /// <summary>What every readiness request runs: the cached answer, never a check of its own.</summary>
    private sealed class CachedReadiness(Readiness readiness) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            readiness.Current().WaitAsync(cancellationToken);
    }
}

/// <summary>
/// Readiness as anonymous callers see it: the cluster answers with at least one active silo and, when configured,
/// PostgreSQL answers. One check runs at a time (single flight) and its answer serves every request for
/// <see cref="ReadinessOptions.ReadinessCacheDuration"/>; a request arriving after that waits for the one next check.
/// The check has its own pool of one connection, so a flood of anonymous requests costs the database at most that
/// connection and the cluster one call every few seconds (SPEC F; it used to be a connection and a cluster call per
/// request, and anyone could use up PostgreSQL's connections).
/// </summary>
public sealed class Readiness : IAsyncDisposable
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    private readonly IClusterClient cluster;
    private readonly NpgsqlDataSource? database;
    private readonly TimeSpan cacheFor;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private Task<HealthCheckResult>? running;
    private HealthCheckResult last;
    private long lastAt;
    private bool checkedOnce;

    public Readiness(IClusterClient cluster, IOptions<ConnectionStringOptions> connectionStrings, IOptions<ReadinessOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connectionStrings);
        ArgumentNullException.ThrowIfNull(options);
        this.cluster = cluster;
        this.time = time;
        cacheFor = options.Value.ReadinessCacheDuration;
        if (connectionStrings.Value.Coaching is { Length: > 0 } connectionString)
        {
            database = new NpgsqlDataSourceBuilder(connectionString)
            {
                ConnectionStringBuilder = { ApplicationName = HealthSetup.ApplicationName, MaxPoolSize = 1, MinPoolSize = 0, Timeout = (int)CheckTimeout.TotalSeconds },
            }.Build();
        }
    }

    /// <summary>The last answer while it is fresh; otherwise the answer of the one check now running (started if none is).</summary>
    public Task<HealthCheckResult> Current()
    {
        lock (gate)
        {
            if (checkedOnce && time.GetElapsedTime(lastAt) < cacheFor)
            {
                return Task.FromResult(last);
            }

            if (running is null)
            {
                // The check belongs to no request: it must not carry the trace or the cancellation of the one that started it.
                using (ExecutionContext.SuppressFlow())
                {
                    running = Task.Run(Refresh);
                }
            }

            return running;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    private async Task<HealthCheckResult> Refresh()
    {
        var result = HealthCheckResult.Unhealthy("the readiness check failed");
        try
        {
            result = await CheckCluster() is { } clusterProblem ? clusterProblem
                : await CheckDatabase() is { } databaseProblem ? databaseProblem
                : HealthCheckResult.Healthy();
            return result;
        }
        finally
        {
            lock (gate)
            {
                last = result;
                lastAt = time.GetTimestamp();
                checkedOnce = true;
                running = null;
            }
        }
    }

    private async Task<HealthCheckResult?> CheckCluster()
    {
        try
        {
            var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(CheckTimeout);
            return hosts.Count > 0 ? null : HealthCheckResult.Unhealthy("no active silo");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("cluster unreachable", e);
        }
    }

    private async Task<HealthCheckResult?> CheckDatabase()
    {
        if (database is null)
        {
            return null;
        }

        try
        {
            using var timeout = new CancellationTokenSource(CheckTimeout);
            await using var command = database.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable", e);
        }
    }
}

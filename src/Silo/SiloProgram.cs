using Coaching.Silo.Schema;
using Coaching.Silo.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coaching.Silo;

public static class SiloProgram
{
    public const string MigrateVerb = "migrate";

    public const string OperationsUrlsKey = SiloOperationsOptions.Section + ":" + nameof(SiloOperationsOptions.OperationsUrls);

    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == MigrateVerb)
        {
            return await MigrateAsync(args[1..]).ConfigureAwait(false);
        }

        using var host = Build(args);
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// A headless silo. With <c>Coaching:Silo:OperationsUrls</c> set (e.g. <c>http://0.0.0.0:9464</c>) it also
    /// serves <c>/metrics</c> (Prometheus) and <c>/health/live</c> there, for scrapers and orchestrators inside the
    /// cluster's network; the port carries no API and is not meant to be exposed beyond it.
    /// </summary>
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        // Which host to build depends on configuration, so read the sources that can set it first.
        var operations = HostSettings.ReadBeforeHost<SiloOperationsOptions>(args, configure, SiloOperationsOptions.Section).OperationsUrls;
        if (string.IsNullOrWhiteSpace(operations))
        {
            var plain = Host.CreateApplicationBuilder(args);
            configure?.Invoke(plain.Configuration);
            AddSilo(plain);
            return plain.Build();
        }

        var web = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(web.Configuration);
        AddSilo(web).WithMetrics(metrics => metrics.AddPrometheusExporter());
        web.WebHost.UseUrls(operations.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        web.Services.AddHealthChecks();
        var app = web.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live");
        return app;
    }

    private static OpenTelemetry.OpenTelemetryBuilder AddSilo(IHostApplicationBuilder builder)
    {
        // Leaves time to hand grains over and leave the membership table cleanly on SIGTERM.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.UseOrleans(silo => silo.UseCoachingSilo());
        return builder.AddCoachingTelemetry();
    }

    /// <summary><c>dotnet run --project src/Silo -- migrate</c>: apply the schema and exit.</summary>
    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloProgram));
        var connectionString = builder.Read<ConnectionStringOptions>(ConnectionStringOptions.Section).Coaching;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            logger.LogError("migrate needs ConnectionStrings:Coaching (e.g. environment variable ConnectionStrings__Coaching)");
            return 2;
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await PostgresSchema.ApplyAsync(connectionString, logger, cancellation.Token).ConfigureAwait(false);
        return 0;
    }
}

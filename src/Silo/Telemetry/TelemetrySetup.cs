using Coaching.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Coaching.Silo.Telemetry;

public static class TelemetrySetup
{
    public const string ConsoleExporterKey = "Coaching:Telemetry:Console";

    /// <summary>True when traces have somewhere to go (OTLP or the console); otherwise none are collected.</summary>
    public static bool ExportsTraces(IConfiguration configuration) =>
        ExportsOtlp(configuration) || configuration.GetValue(ConsoleExporterKey, false);

    private static bool ExportsOtlp(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>
    /// Metrics and traces for a silo or API process: our meters, Orleans', Npgsql's and the runtime's.
    /// Metrics go to OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (and to whatever the caller adds, e.g.
    /// Prometheus); traces are collected only when they go somewhere: OTLP, or the console when
    /// <c>Coaching:Telemetry:Console</c> is true.
    /// </summary>
    public static OpenTelemetry.OpenTelemetryBuilder AddCoachingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = ExportsOtlp(configuration);
        var console = configuration.GetValue(ConsoleExporterKey, false);
        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CoachingMetrics.Name, "Microsoft.Orleans").AddRuntimeInstrumentation().AddNpgsqlInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (!ExportsTraces(configuration))
        {
            // No exporter, no tracing: a listening tracer provider would build spans for every request, grain call and
            // batch only to drop them (measured: a visible share of the per-event CPU in the bench's profile).
            return telemetry;
        }

        return telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(CoachingMetrics.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddNpgsql();
            if (otlp)
            {
                tracing.AddOtlpExporter();
            }

            if (console)
            {
                tracing.AddConsoleExporter();
            }
        });
    }
}

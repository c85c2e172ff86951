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

    /// <summary>
    /// Metrics and traces for a silo or API process: our meters, Orleans', Npgsql's and the runtime's.
    /// Traces and metrics go to OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and to the console when
    /// <c>Coaching:Telemetry:Console</c> is true; the caller adds its own pieces (ASP.NET Core, Prometheus).
    /// </summary>
    public static OpenTelemetry.OpenTelemetryBuilder AddCoachingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = configuration.GetValue(ConsoleExporterKey, false);
        return services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CoachingMetrics.Name, "Microsoft.Orleans").AddRuntimeInstrumentation().AddNpgsqlInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
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

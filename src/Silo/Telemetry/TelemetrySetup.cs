using Coaching.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Coaching.Silo.Telemetry;

/// <summary>The <c>Coaching:Telemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Coaching:Telemetry";

    /// <summary>Also write traces to the console.</summary>
    public bool Console { get; set; }
}

/// <summary>The OpenTelemetry SDK's own <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, a top-level key; its exporters read the rest.</summary>
public sealed class OtlpOptions
{
    public const string Section = "";

    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? Endpoint { get; set; }
}

public static class TelemetrySetup
{
    /// <summary>True when traces have somewhere to go (OTLP or the console); otherwise none are collected.</summary>
    public static bool ExportsTraces(this IHostApplicationBuilder builder) => ExportsOtlp(builder) || ExportsToConsole(builder);

    private static bool ExportsOtlp(IHostApplicationBuilder builder) =>
        !string.IsNullOrEmpty(builder.Read<OtlpOptions>(OtlpOptions.Section).Endpoint);

    private static bool ExportsToConsole(IHostApplicationBuilder builder) => builder.Read<TelemetryOptions>(TelemetryOptions.Section).Console;

    /// <summary>
    /// Metrics and traces for a silo or API process: our meters, Orleans', Npgsql's and the runtime's.
    /// Metrics go to OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (and to whatever the caller adds, e.g.
    /// Prometheus); traces are collected only when they go somewhere: OTLP, or the console when
    /// <c>Coaching:Telemetry:Console</c> is true.
    /// </summary>
    public static OpenTelemetry.OpenTelemetryBuilder AddCoachingTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otlp = ExportsOtlp(builder);
        var console = ExportsToConsole(builder);
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CoachingMetrics.Name, "Microsoft.Orleans").AddRuntimeInstrumentation().AddNpgsqlInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (!otlp && !console)
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

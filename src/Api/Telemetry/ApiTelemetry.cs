using Coaching.Api.Auth;
using Coaching.Silo.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Coaching.Api.Telemetry;

public static class ApiTelemetry
{
    public static IServiceCollection AddApiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddCoachingTelemetry(configuration)
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (TelemetrySetup.ExportsTraces(configuration))
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o =>
                o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)));
        }

        return services;
    }

    /// <summary>
    /// Prometheus scrape at <c>/metrics</c> and the Orleans dashboard at <c>/dashboard</c>, both for admins only:
    /// API.md leaves only health, OpenAPI and the reference page open.
    /// </summary>
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Admin);
        if (configuration.GetValue(Silo.CoachingSiloHosting.DashboardEnabledKey, true))
        {
            // A user interface, not part of the API: kept out of the OpenAPI document.
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Policies.Admin).ExcludeFromDescription();
        }

        return app;
    }
}

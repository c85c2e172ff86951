using Coaching.Api.Auth;
using Coaching.Silo;
using Coaching.Silo.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Coaching.Api.Telemetry;

public static class ApiTelemetry
{
    public static IHostApplicationBuilder AddApiTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.AddCoachingTelemetry()
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (builder.ExportsTraces())
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o =>
                o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)));
        }

        return builder;
    }

    /// <summary>
    /// Prometheus scrape at <c>/metrics</c> and the Orleans dashboard at <c>/dashboard</c>, both for admins only:
    /// API.md leaves only health, OpenAPI and the reference page open.
    /// </summary>
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Admin);
        if (app.ServiceProvider.GetRequiredService<IOptions<CoachingDashboardOptions>>().Value.Enabled)
        {
            // A user interface, not part of the API: kept out of the OpenAPI document.
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Policies.Admin).ExcludeFromDescription();
        }

        return app;
    }
}

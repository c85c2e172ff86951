using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Coaching.Api.Http;

public sealed class RateLimitOptions
{
    public const string Section = "Coaching:RateLimits";

    /// <summary>Ingestion requests one client identity may make per second, sustained.</summary>
    public int IngestionRequestsPerSecond { get; set; } = 2000;

    /// <summary>Ingestion requests one client identity may make in a burst above the sustained rate.</summary>
    public int IngestionBurst { get; set; } = 4000;
}

public static class RateLimits
{
    /// <summary>The policy ingestion routes use: a token bucket per client identity (the token's <c>sub</c>).</summary>
    public const string Ingestion = "ingestion";

    public static IServiceCollection AddCoachingRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (options.IngestionRequestsPerSecond <= 0 || options.IngestionBurst <= 0)
        {
            throw new InvalidOperationException($"{RateLimitOptions.Section}: rates must be positive.");
        }

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Ingestion, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.FindFirst("sub")?.Value ?? "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.IngestionBurst,
                    TokensPerPeriod = options.IngestionRequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (context, cancellation) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = "This client is over its ingestion rate; retry after the time in Retry-After.",
                    },
                });
            };
        });
        return services;
    }
}

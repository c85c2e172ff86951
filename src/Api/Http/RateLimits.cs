using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Coaching.Api.Http;

public sealed class RateLimitOptions
{
    public const string Section = "Coaching:RateLimits";

    /// <summary>Ingestion requests one client identity may make per second, sustained.</summary>
    public int IngestionRequestsPerSecond { get; set; } = 2000;

    /// <summary>Ingestion requests one client identity may make in a burst above the sustained rate.</summary>
    public int IngestionBurst { get; set; } = 4000;

    /// <summary>Requests one user may make per second, sustained, on every other route: far above what a busy console sends.</summary>
    public int UserRequestsPerSecond { get; set; } = 50;

    /// <summary>Requests one user may make in a burst, e.g. a console page that loads many lists at once.</summary>
    public int UserBurst { get; set; } = 200;
}

/// <summary>
/// Request budgets, each a token bucket per caller (the token's <c>sub</c>) and counted in this API process:
/// ingestion has its own, every other route shares the user's.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy ingestion routes use.</summary>
    public const string Ingestion = "ingestion";

    /// <summary>The policy every people and admin route uses.</summary>
    public const string User = "user";

    public static IServiceCollection AddCoachingRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.IngestionRequestsPerSecond > 0 && o.IngestionBurst > 0 && o.UserRequestsPerSecond > 0 && o.UserBurst > 0,
                $"{RateLimitOptions.Section}: rates and bursts must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, budgets) =>
        {
            var options = budgets.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Ingestion, http => Bucket(http, options.IngestionRequestsPerSecond, options.IngestionBurst));
            limiter.AddPolicy(User, http => Bucket(http, options.UserRequestsPerSecond, options.UserBurst));
            limiter.OnRejected = async (context, cancellation) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var budget = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Ingestion
                    ? "its event ingestion budget"
                    : "its request budget for the API's people and admin routes";
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"This caller is over {budget}; retry after the time in Retry-After.",
                    },
                });
            };
        });
        return services;
    }

    // Authentication has refused every token without a user by the time a limiter runs, so `sub` is always there.
    private static RateLimitPartition<string> Bucket(HttpContext http, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(
            http.User.FindFirst("sub")?.Value ?? "",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
}

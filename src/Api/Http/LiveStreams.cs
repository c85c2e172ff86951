using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Coaching.Api.Http;

public sealed class StreamOptions
{
    public const string Section = "Coaching:Streams";

    /// <summary>Live notification streams one user may hold open at once: a few tabs and devices, not a flood.</summary>
    public int PerUser { get; set; } = 5;
}

/// <summary>
/// The live streams open in this API process, per user. Each stream holds a place until it ends, however it ends
/// (client gone, token expired, process stopping). Counted per process, as the process serves the streams: with
/// several API processes behind a load balancer a user can hold up to <see cref="StreamOptions.PerUser"/> on each.
/// </summary>
public sealed class LiveStreams : IDisposable
{
    /// <summary>What a refused client is told to wait: a place frees when one of the user's streams ends, which nobody can foresee.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly PartitionedRateLimiter<string> places;

    public LiveStreams(IOptions<StreamOptions> options)
    {
        PerUser = options.Value.PerUser;
        // A concurrency limiter per user; the partitioned limiter drops a user's once it has been idle a while.
        places = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetConcurrencyLimiter(
            userId, _ => new ConcurrencyLimiterOptions { PermitLimit = PerUser, QueueLimit = 0 }));
    }

    public int PerUser { get; }

    /// <summary>A place for one more stream of the user, held until disposed; not acquired when all theirs are taken.</summary>
    public RateLimitLease TryOpen(string userId) => places.AttemptAcquire(userId);

    public void Dispose() => places.Dispose();
}

public static class LiveStreamSetup
{
    public static IServiceCollection AddLiveStreams(this IServiceCollection services)
    {
        services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section)
            .Validate(o => o.PerUser > 0, $"{StreamOptions.Section}:{nameof(StreamOptions.PerUser)} must be positive.").ValidateOnStart();
        services.AddSingleton<LiveStreams>();
        return services;
    }
}

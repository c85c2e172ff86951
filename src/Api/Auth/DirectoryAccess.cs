using System.Collections.Concurrent;
using System.Security.Claims;
using Coaching.Directory;

namespace Coaching.Api.Auth;

/// <summary>
/// A token's roles count only while its user may act: a user the directory marks deleted or inactive acts as nobody
/// (no role, no permission) on every route, whatever the token says, until it expires. A user the directory does
/// not know (a service account, an admin from the identity provider) keeps the token's roles.
/// </summary>
/// <remarks>
/// Each process remembers a user's standing for <see cref="Freshness"/>, so a request costs no grain call; a change
/// made through this process's directory routes is seen by its next request at once, other API processes see it
/// within <see cref="Freshness"/>. The memory is bounded by <see cref="MaxRemembered"/> (only signed tokens reach it).
/// </remarks>
public sealed class DirectoryAccess(IGrainFactory grains, TimeProvider clock, ILogger<DirectoryAccess> logger)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);
    public const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, Standing> remembered = new(StringComparer.Ordinal);

    /// <summary>Removes the token's roles and permissions when its user may not act.</summary>
    public async Task Apply(ClaimsPrincipal principal, string userId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (await MayAct(userId))
        {
            return;
        }

        foreach (var identity in principal.Identities)
        {
            foreach (var claim in identity.FindAll(c => c.Type is "role" or Permissions.ClaimType).ToList())
            {
                identity.RemoveClaim(claim);
            }
        }
    }

    /// <summary>The directory changed this user: the next request reads it again.</summary>
    public void Forget(string userId) => remembered.TryRemove(userId, out _);

    private async Task<bool> MayAct(string userId)
    {
        var now = clock.GetUtcNow();
        if (remembered.TryGetValue(userId, out var known) && now - known.ReadAt < Freshness)
        {
            return known.MayAct;
        }

        bool mayAct;
        try
        {
            mayAct = await grains.GetGrain<IUserGrain>(userId).Get() is not { IsEligible: false };
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The cluster cannot answer: the route itself will answer 503 on its first grain call; keep what was known.
            logger.LogWarning(e, "Could not read the directory standing of a caller; using the last one known.");
            return known?.MayAct ?? true;
        }

        if (remembered.Count >= MaxRemembered)
        {
            remembered.Clear();
        }

        remembered[userId] = new Standing(mayAct, now);
        return mayAct;
    }

    private sealed record Standing(bool MayAct, DateTimeOffset ReadAt);
}

using System.Security.Claims;

namespace Coaching.Api.Auth;

/// <summary>Who is calling, read once from the token.</summary>
public sealed record Caller(string UserId, IReadOnlySet<string> Roles, IReadOnlySet<string> Permissions)
{
    public bool IsAdmin => Roles.Contains(Auth.Roles.Admin);
    public bool IsSupervisor => Roles.Contains(Auth.Roles.Supervisor);
    public bool IsCoach => Roles.Contains(Auth.Roles.Coach);
    public bool IsIntegration => Roles.Contains(Auth.Roles.Integration);
    public bool CanViewSuggestions => Permissions.Contains(Auth.Permissions.ViewSuggestions);

    /// <summary>
    /// Handlers take the caller as a parameter: minimal APIs bind it from the request's authenticated user, so the claims
    /// are read in this one place.
    /// </summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<Caller?>(From(context.User));
    }

    public static Caller From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue("sub") ?? "",
        principal.FindAll("role").Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        principal.FindAll(Auth.Permissions.ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
}

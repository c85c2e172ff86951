using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Coaching.Api.Auth;

/// <summary>
/// Permissions may arrive as separate <c>permission</c> claims (a JSON array in the token) or as one
/// space-delimited claim, the way OAuth sends scopes and the only way <c>dotnet user-jwts</c> can send two.
/// Both end up as one claim per permission.
/// </summary>
public sealed class PermissionClaims : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        foreach (var identity in principal.Identities)
        {
            var joined = identity.FindAll(Permissions.ClaimType).Where(c => c.Value.Contains(' ', StringComparison.Ordinal)).ToList();
            foreach (var claim in joined)
            {
                identity.RemoveClaim(claim);
                foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    identity.AddClaim(new Claim(Permissions.ClaimType, value, claim.ValueType, claim.Issuer));
                }
            }
        }

        return Task.FromResult(principal);
    }
}

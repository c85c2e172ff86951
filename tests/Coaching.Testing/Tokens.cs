using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coaching.Testing;

/// <summary>Mints bearer tokens the test hosts accept, for any user, roles and permissions.</summary>
public static class Tokens
{
    public const string Issuer = "coaching-tests";
    public const string Audience = "coaching-api";

    // 256-bit symmetric key, the same shape `dotnet user-jwts` stores.
    public static readonly string SigningKey = Convert.ToBase64String("coaching-test-signing-key-32-bytes!!"u8.ToArray());

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A token for <paramref name="userId"/> (null: a token without a <c>sub</c> claim).</summary>
    public static string For(string? userId, IEnumerable<string>? roles = null, IEnumerable<string>? permissions = null,
        string? signingKey = null, DateTime? expires = null)
    {
        var claims = new List<Claim>();
        if (userId is not null)
        {
            claims.Add(new("sub", userId));
        }

        claims.AddRange((roles ?? []).Select(r => new Claim("role", r)));
        claims.AddRange((permissions ?? []).Select(p => new Claim("permission", p)));
        var key = new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? SigningKey));
        var now = DateTime.UtcNow;
        var until = expires ?? now.AddHours(1);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = Issuer,
            Audience = Audience,
            // A token that has already expired must still have started before it ended.
            NotBefore = until < now ? until.AddMinutes(-5) : now.AddMinutes(-1),
            Expires = until,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Configuration that makes a host accept these tokens, through the standard bearer section.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> HostSettings() =>
    [
        new("Authentication:Schemes:Bearer:ValidIssuer", Issuer),
        new("Authentication:Schemes:Bearer:ValidAudiences:0", Audience),
        new("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Issuer),
        new("Authentication:Schemes:Bearer:SigningKeys:0:Value", SigningKey),
    ];
}

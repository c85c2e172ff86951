using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coaching.Bench;

/// <summary>Mints the bearer tokens the service under test accepts: it is started trusting this issuer and key
/// (through the standard <c>Authentication:Schemes:Bearer</c> section, README).</summary>
public sealed class BenchTokens
{
    public const string Issuer = "coaching-bench";
    public const string Audience = "coaching-api";
    public const string KeyVariable = "COACHING_BENCH_SIGNING_KEY";

    private readonly JsonWebTokenHandler handler = new();

    /// <param name="signingKey">Base64 of a 256-bit key; a fresh random one when null.</param>
    public BenchTokens(string? signingKey)
    {
        SigningKey = signingKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    }

    public string SigningKey { get; }

    public string For(string userId, params string[] roles)
    {
        var claims = new List<Claim> { new("sub", userId) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = Issuer,
            Audience = Audience,
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddHours(2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Environment variables that make the service accept these tokens.</summary>
    public IEnumerable<KeyValuePair<string, string>> ServiceEnvironment() =>
    [
        new("Authentication__Schemes__Bearer__ValidIssuer", Issuer),
        new("Authentication__Schemes__Bearer__ValidAudiences__0", Audience),
        new("Authentication__Schemes__Bearer__SigningKeys__0__Issuer", Issuer),
        new("Authentication__Schemes__Bearer__SigningKeys__0__Value", SigningKey),
    ];
}

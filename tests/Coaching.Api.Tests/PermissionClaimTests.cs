using System.Net;
using System.Security.Claims;
using Coaching.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coaching.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PermissionClaimTests(SharedApi api)
{
    [Theory]
    [InlineData("suggestions.view suggestions.create", HttpStatusCode.UnprocessableEntity)]
    [InlineData("suggestions.view", HttpStatusCode.Forbidden)]
    public async Task Space_delimited_permissions_count_one_by_one(string permission, HttpStatusCode expected)
    {
        // One claim holding both permissions, as `dotnet user-jwts --claim "permission=a b"` writes it.
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "pc-sup"), new Claim("role", "supervisor"), new Claim("permission", permission)]),
            Issuer = Tokens.Issuer,
            Audience = Tokens.Audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(Tokens.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        // Past the policy (supervisor + suggestions.create), an unknown coach is a business-rule refusal.
        var response = await client.PostJson("/v1/sessions", new
        {
            title = "T", coach = new { type = "user", id = "pc-nobody" }, trainees = new[] { new { type = "user", id = "pc-nobody-2" } },
            coachingArea = "pc-area", expiresAt = (string?)null, referenceCases = Array.Empty<string>(),
        });
        Assert.Equal(expected, response.StatusCode);
    }
}

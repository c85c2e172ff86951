using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Coaching.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coaching.Api.Tests;

/// <summary>Security review finding 10: headers on every answer, quiet token errors, no Host echo in the OpenAPI document.</summary>
[Collection(ApiCollection.Name)]
public sealed class HardeningTests(SharedApi api)
{
    public static TheoryData<string, bool, HttpStatusCode> Answers => new()
    {
        { "/health/live", false, HttpStatusCode.OK },
        { "/health/ready", false, HttpStatusCode.OK },
        { "/openapi/v1.json", false, HttpStatusCode.OK },
        { "/reference/", false, HttpStatusCode.OK },
        { "/v1/coaching-areas", false, HttpStatusCode.Unauthorized },
        { "/v1/coaching-areas", true, HttpStatusCode.OK },
        { "/v1/users/hardening-nobody", true, HttpStatusCode.NotFound },
        { "/v1/cases/a%0A/sessions", true, HttpStatusCode.BadRequest },
        { "/no-such-route", true, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_says_nosniff_no_framing_and_no_referrer(string path, bool withToken, HttpStatusCode status)
    {
        using var response = await (withToken ? api.Admin() : api.Anonymous()).GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task The_reference_page_still_loads_with_the_headers()
    {
        using var response = await api.Anonymous().GetAsync("/reference/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong issuer")]
    [InlineData("wrong key")]
    public async Task A_refused_token_is_not_told_why_outside_Development(string what)
    {
        var token = what switch
        {
            "expired" => Forged(Tokens.Issuer, Tokens.SigningKey, DateTime.UtcNow.AddMinutes(-20), DateTime.UtcNow.AddMinutes(-10)),
            "wrong issuer" => Forged("someone-else", Tokens.SigningKey, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1)),
            _ => Forged(Tokens.Issuer, Convert.ToBase64String("another-signing-key-of-32-bytes!!"u8.ToArray()), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1)),
        };
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync("/v1/coaching-areas");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task The_OpenAPI_document_does_not_echo_the_request_Host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example";
        using var response = await api.Anonymous().SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("attacker.example", text, StringComparison.OrdinalIgnoreCase);
        var document = JsonDocument.Parse(text).RootElement;
        Assert.True(!document.TryGetProperty("servers", out var servers) || servers.GetArrayLength() == 0, $"servers: {servers}");
    }

    [Fact]
    public async Task The_OpenAPI_server_URL_comes_from_configuration()
    {
        await using var configured = new CoachingApi(new Dictionary<string, string?> { ["Coaching:OpenApi:ServerUrl"] = "https://coaching.example.test/" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example";
        using var response = await configured.Anonymous().SendAsync(request);

        var servers = (await response.Expect(HttpStatusCode.OK)).GetProperty("servers");
        Assert.Equal("https://coaching.example.test", Assert.Single(servers.EnumerateArray()).GetProperty("url").GetString());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static string Forged(string issuer, string key, DateTime notBefore, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "u-admin"), new Claim("role", "coaching.admin")]),
            Issuer = issuer,
            Audience = Tokens.Audience,
            NotBefore = notBefore,
            Expires = expires,
            IssuedAt = notBefore,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        });
}

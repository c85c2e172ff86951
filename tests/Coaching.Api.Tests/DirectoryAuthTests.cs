using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>Every directory route against no token, a bad token, each role that may not use it, and each that may.</summary>
[Collection(ApiCollection.Name)]
public sealed class DirectoryAuthTests(SharedApi api)
{
    public static TheoryData<string, string, string?, string[]> Routes => new()
    {
        { "PUT", "/v1/users/auth-u1", """{"displayName":"Auth One"}""", ["coaching.admin", "integration"] },
        { "GET", "/v1/users/auth-u1", null, ["coaching.admin", "integration"] },
        { "DELETE", "/v1/users/auth-u1", null, ["coaching.admin", "integration"] },
        { "PUT", "/v1/groups/auth-g1", """{"displayName":"Auth Group","members":[]}""", ["coaching.admin", "integration"] },
        { "GET", "/v1/groups/auth-g1", null, ["coaching.admin", "integration"] },
        { "PUT", "/v1/coaching-areas/auth-a1", """{"name":"Auth Area"}""", ["coaching.admin", "integration"] },
        { "GET", "/v1/coaching-areas", null, ["coaching.admin", "integration", "supervisor", "coach", "agent"] },
        { "PUT", "/v1/surveys/auth-s1", """{"name":"S","questions":[{"id":"q1","text":"How?","type":"rating"}]}""", ["coaching.admin", "integration"] },
        { "GET", "/v1/surveys/auth-s1", null, ["coaching.admin", "integration"] },
    };

    private static readonly string[] AllRoles = ["coaching.admin", "integration", "supervisor", "coach", "agent"];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_token_is_401(string method, string path, string? body, string[] allowed)
    {
        Assert.NotEmpty(allowed);
        var response = await api.Anonymous().Send(new HttpMethod(method), path, body);
        await response.Expect(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_token_signed_with_another_key_is_401(string method, string path, string? body, string[] allowed)
    {
        var client = api.Anonymous();
        var forged = Tokens.For("u-admin", allowed, signingKey: Convert.ToBase64String(new byte[32]));
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        var response = await client.Send(new HttpMethod(method), path, body);
        await response.Expect(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Roles_outside_the_route_are_403(string method, string path, string? body, string[] allowed)
    {
        foreach (var role in AllRoles.Except(allowed))
        {
            var response = await api.As("u-someone", [role]).Send(new HttpMethod(method), path, body);
            await response.Expect(HttpStatusCode.Forbidden, "forbidden");
        }

        var noRole = await api.As("u-someone").Send(new HttpMethod(method), path, body);
        await noRole.Expect(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Roles_of_the_route_get_through(string method, string path, string? body, string[] allowed)
    {
        foreach (var role in allowed)
        {
            // Recreate what the route reads or deletes, so each role finds it there.
            await api.Admin().PutJson("/v1/users/auth-u1", new { displayName = "Auth One" });
            await api.Admin().PutJson("/v1/groups/auth-g1", new { displayName = "Auth Group", members = Array.Empty<string>() });
            await api.Admin().Send(HttpMethod.Put, "/v1/surveys/auth-s1", """{"name":"S","questions":[{"id":"q1","text":"How?","type":"rating"}]}""");

            var response = await api.As("u-someone", [role]).Send(new HttpMethod(method), path, body);
            Assert.True(response.IsSuccessStatusCode, $"{role} {method} {path}: {(int)response.StatusCode}");
        }
    }
}

using System.Net;
using Coaching.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Coaching.Api.Tests;

/// <summary>What makes a signed token acceptable beyond its signature: a user in <c>sub</c>, and a lifetime read with a small skew.</summary>
[Collection(ApiCollection.Name)]
public sealed class TokenTests(SharedApi api)
{
    // Roles that open a people route, an admin route and ingestion, so only the subject can be what is refused.
    private static readonly string[] EveryRole = ["coaching.admin", "integration", "agent"];

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_token_without_a_usable_sub_is_401_on_people_admin_and_ingestion_routes(string? subject)
    {
        var token = Tokens.For(subject, EveryRole);
        // The token carries what the case says: no claim at all, or the claim present and blank.
        Assert.Equal(subject, new JsonWebToken(token).TryGetPayloadValue<string>("sub", out var written) ? written : null);

        var nobody = api.WithToken(token);
        await (await nobody.GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await nobody.GetAsync("/v1/opportunities")).Expect(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await nobody.PostUnwatchedEvent("tok-nobody")).Expect(HttpStatusCode.Unauthorized, "unauthenticated");

        // The same roles with a user in the token go through.
        var somebody = api.As("tok-somebody", EveryRole);
        await (await somebody.GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.OK);
        await (await somebody.GetAsync("/v1/opportunities")).Expect(HttpStatusCode.OK);
        await (await somebody.PostUnwatchedEvent($"tok-somebody-{subject?.Length}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_that_expired_a_minute_ago_is_refused_with_the_default_skew_of_30_seconds()
    {
        var late = api.WithToken(Tokens.For("tok-late", EveryRole, expires: DateTime.UtcNow.AddSeconds(-60)));
        await (await late.GetAsync("/v1/coaching-areas")).Expect(HttpStatusCode.Unauthorized, "unauthenticated");

        var onTime = api.WithToken(Tokens.For("tok-late", EveryRole, expires: DateTime.UtcNow.AddSeconds(60)));
        await (await onTime.GetAsync("/v1/coaching-areas")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_clock_skew_is_read_from_Coaching_Auth_ClockSkew()
    {
        await using var lenient = new CoachingApi(new Dictionary<string, string?> { ["Coaching:Auth:ClockSkew"] = "PT2M" });

        var late = lenient.WithToken(Tokens.For("tok-late", EveryRole, expires: DateTime.UtcNow.AddSeconds(-60)));
        await (await late.GetAsync("/v1/coaching-areas")).Expect(HttpStatusCode.OK);

        var tooLate = lenient.WithToken(Tokens.For("tok-late", EveryRole, expires: DateTime.UtcNow.AddMinutes(-3)));
        await (await tooLate.GetAsync("/v1/coaching-areas")).Expect(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

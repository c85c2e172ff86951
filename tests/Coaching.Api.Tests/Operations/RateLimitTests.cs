using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests.Operations;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Ingestion_over_a_clients_rate_is_429_with_Retry_After_and_other_clients_are_unaffected()
    {
        await using var api = new CoachingApi(new Dictionary<string, string?>
        {
            ["Coaching:RateLimits:IngestionRequestsPerSecond"] = "1",
            ["Coaching:RateLimits:IngestionBurst"] = "3",
        });
        var noisy = api.As("svc-noisy", ["integration"]);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await noisy.PostUnwatchedEvent($"rl-{i}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");
        var problem = await limited.Expect(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains("event ingestion budget", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The bucket is per client identity: another integration client still gets through.
        var quiet = api.As("svc-quiet", ["integration"]);
        var other = await quiet.PostUnwatchedEvent("rl-q");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_user_over_the_request_budget_is_429_with_Retry_After_while_ingestion_and_other_users_go_on()
    {
        await using var api = new CoachingApi(new Dictionary<string, string?>
        {
            ["Coaching:RateLimits:UserRequestsPerSecond"] = "1",
            ["Coaching:RateLimits:UserBurst"] = "3",
        });
        // One identity that may use both kinds of route: its people budget runs out, its ingestion budget does not.
        var busy = api.As("rl-busy", ["coaching.admin", "integration"]);
        HttpResponseMessage? limited = null;
        var served = 0;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await busy.GetAsync("/v1/opportunities");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                await response.Expect(HttpStatusCode.OK);
                served++;
            }
        }

        Assert.NotNull(limited);
        Assert.True(served >= 3, $"the burst of 3 was not served first: {served}");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");
        var problem = await limited.Expect(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Contains("people and admin routes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        for (var i = 0; i < 5; i++)
        {
            var ingested = await busy.PostUnwatchedEvent($"rl-busy-{i}");
            await ingested.Expect(HttpStatusCode.OK);
        }

        // The budget is per user: someone else's requests still go through.
        await (await api.As("rl-calm", ["agent"]).GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.OK);
        await (await api.As("rl-calm-admin", ["coaching.admin"]).GetAsync("/v1/opportunities")).Expect(HttpStatusCode.OK);
    }
}

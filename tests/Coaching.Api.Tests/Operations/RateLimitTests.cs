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
            var response = await noisy.PostJson("/v1/events", new { eventId = $"rl-{i}", table = "rl", recordId = "R", occurredAt = "2026-11-20T10:00:00Z", fields = new { }, previous = new { } });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");
        await limited.Expect(HttpStatusCode.TooManyRequests, "rate-limited");

        // The bucket is per client identity: another integration client still gets through.
        var quiet = api.As("svc-quiet", ["integration"]);
        var other = await quiet.PostJson("/v1/events", new { eventId = "rl-q", table = "rl", recordId = "R", occurredAt = "2026-11-20T10:00:00Z", fields = new { }, previous = new { } });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}

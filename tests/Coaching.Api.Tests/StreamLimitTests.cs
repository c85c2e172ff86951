using System.Diagnostics;
using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>Live notification streams: at most five per user at once, and none outlives the token it was opened with.</summary>
[Collection(ApiCollection.Name)]
public sealed class StreamLimitTests(SharedApi api)
{
    private const int PerUser = 5;

    [Fact]
    public async Task Five_streams_per_user_are_served_the_rest_get_429_until_one_closes()
    {
        var client = api.As("sl-many", ["agent"]);
        var served = new List<HttpResponseMessage>();
        try
        {
            var refused = new List<HttpResponseMessage>();
            for (var i = 0; i < 2 * PerUser; i++)
            {
                var response = await Open(client);
                (response.StatusCode == HttpStatusCode.OK ? served : refused).Add(response);
            }

            Assert.Equal(PerUser, served.Count);
            Assert.All(served, r => Assert.Equal("text/event-stream", r.Content.Headers.ContentType?.MediaType));
            Assert.Equal(PerUser, refused.Count);
            foreach (var response in refused)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After missing");
                await response.Expect(HttpStatusCode.TooManyRequests, "too-many-streams");
                response.Dispose();
            }

            // The cap is per user.
            using (var other = await Open(api.As("sl-other", ["agent"])))
            {
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            }

            // Closing one gives its place back as soon as the server sees the client gone.
            served[0].Dispose();
            served.RemoveAt(0);
            HttpResponseMessage? again = null;
            for (var attempt = 0; attempt < 50 && again is null; attempt++)
            {
                var response = await Open(client);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    again = response;
                }
                else
                {
                    await response.Expect(HttpStatusCode.TooManyRequests, "too-many-streams");
                    response.Dispose();
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(again);
            served.Add(again);
        }
        finally
        {
            served.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task A_stream_ends_by_itself_when_its_token_expires_and_gives_its_place_back()
    {
        var token = Tokens.For("sl-expiring", ["agent"], expires: DateTime.UtcNow.AddSeconds(5));
        var opened = Stopwatch.StartNew();
        using (var response = await Open(api.WithToken(token)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await reader.ReadLineAsync(deadline.Token) is not null)
            {
            }
        }

        // `exp` is in whole seconds, so the stream had 4 to 5 seconds; ending at once would be another fault.
        Assert.InRange(opened.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));

        // The ended stream holds no place: a fresh token gets all five.
        var renewed = api.As("sl-expiring", ["agent"]);
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < PerUser; i++)
            {
                streams.Add(await Open(renewed));
            }

            Assert.All(streams, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }
        finally
        {
            streams.ForEach(r => r.Dispose());
        }
    }

    private static async Task<HttpResponseMessage> Open(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await client.GetAsync("/v1/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }
}

using Xunit;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Coaching.Testing;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asserts the status and, for errors, that the body is a ProblemDetails with the expected code.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        if ((int)status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(code ?? body.GetProperty("code").GetString(), body.GetProperty("code").GetString());
        }

        return body;
    }

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    /// <summary>Posts a case event on a table no opportunity watches: it is answered, and nothing else happens.</summary>
    public static Task<HttpResponseMessage> PostUnwatchedEvent(this HttpClient client, string eventId) =>
        client.PostJson("/v1/events", new { eventId, table = "unwatched", recordId = "R", occurredAt = "2026-11-20T10:00:00Z", fields = new { }, previous = new { } });

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, string? rawJson = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (rawJson is not null)
        {
            request.Content = new StringContent(rawJson, System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Coaching.Bench;

/// <summary>One HttpClient over SocketsHttpHandler with a connection per concurrent request; bodies are sent as
/// pre-serialized bytes and answers are read to the end (so connections are reused) and scanned, not parsed.</summary>
public sealed class BenchHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] CreatedOutcome = "\"created\""u8.ToArray();
    private static readonly byte[] Problem = "\"problem\""u8.ToArray();
    private readonly HttpClient client;

    public BenchHttp(Uri address, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Posts an event body; counts the events answered and the assessments reported created.</summary>
    public async Task<OperationResult> PostEvents(string path, byte[] body, int events, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return new OperationResult(false, 0, 0, status);
        }

        var problems = Count(answer, Problem);
        return new OperationResult(problems < events, events - problems, Count(answer, CreatedOutcome), status);
    }

    public async Task<OperationResult> Get(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new OperationResult(response.IsSuccessStatusCode, 1, 0, (int)response.StatusCode);
    }

    /// <summary>A setup call (not measured): JSON in, status and body text out.</summary>
    public async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string path, string? json, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        int i;
        while ((i = haystack.IndexOf(needle)) >= 0)
        {
            count++;
            haystack = haystack[(i + needle.Length)..];
        }

        return count;
    }

    public void Dispose() => client.Dispose();
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coaching.Bench;

/// <summary>An event as it travels on the wire (API.md, Events).</summary>
public sealed record WireEvent(
    string EventId,
    string Table,
    string RecordId,
    DateTimeOffset OccurredAt,
    Dictionary<string, string?> Fields,
    Dictionary<string, string?>? Previous);

public sealed record WireBatch(List<WireEvent> Events);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WireEvent))]
[JsonSerializable(typeof(WireBatch))]
internal sealed partial class WireJson : JsonSerializerContext;

/// <summary>
/// Ceilings A and B: a bare Kestrel endpoint in the bench process that only deserializes the same event JSON the
/// service gets (one event, or a batch) and answers 200. No auth, no routing beyond the two paths, no logging.
/// </summary>
public sealed class CeilingServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private CeilingServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public long Deserialized;

    public static async Task<CeilingServer> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        CeilingServer? server = null;
        app.MapPost("/v1/events", async (HttpContext http) =>
        {
            var e = await JsonSerializer.DeserializeAsync(http.Request.Body, WireJson.Default.WireEvent, http.RequestAborted);
            if (e is null)
            {
                return Results.BadRequest();
            }

            Interlocked.Increment(ref server!.Deserialized);
            return Results.Ok();
        });
        app.MapPost("/v1/events/batch", async (HttpContext http) =>
        {
            var batch = await JsonSerializer.DeserializeAsync(http.Request.Body, WireJson.Default.WireBatch, http.RequestAborted);
            if (batch?.Events is not { Count: > 0 } events)
            {
                return Results.BadRequest();
            }

            Interlocked.Add(ref server!.Deserialized, events.Count);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Urls.Select(u => new Uri(u)).First();
        server = new CeilingServer(app, address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

using System.Globalization;
using System.Threading.Channels;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Inbox;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>The caller's own inbox, and its live stream as Server-Sent Events.</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/v1/me/notifications").WithTags("Notifications")
            .RequireAuthorization(Policies.AnyRole).StandardProblems();
        me.MapGet("/", List).WithName("ListMyNotifications");
        me.MapPost("/{id}/read", MarkRead).WithName("MarkNotificationRead").Problems(404);
        me.MapGet("/stream", Stream).WithName("StreamMyNotifications").Produces(200, contentType: "text/event-stream")
            .WithSummary("Server-Sent Events: one `data:` JSON object per notification as it arrives.");
        return app;
    }

    internal static async Task<Ok<NotificationPage>> List(Caller caller, IGrainFactory grains, bool? unread, int? limit, string? cursor)
    {
        var page = await grains.GetGrain<INotificationInboxGrain>(caller.UserId).List(unread ?? false, limit ?? 50, cursor);
        return TypedResults.Ok(page);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(string id, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<INotificationInboxGrain>(caller.UserId).MarkRead(id)
            ? TypedResults.NoContent()
            : Problems.NotFound($"No notification '{id}'.");

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    internal static async Task Stream(HttpContext http, IGrainFactory grains, ILoggerFactory logs, LiveStreams streams, IHostApplicationLifetime lifetime)
    {
        var userId = Caller.From(http.User).UserId;
        using var place = streams.TryOpen(userId);
        if (!place.IsAcquired)
        {
            http.Response.Headers.RetryAfter = ((int)LiveStreams.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await Problems.TooManyStreams($"This user already has {streams.PerUser} live streams open; close one, or retry after the time in Retry-After.")
                .ExecuteAsync(http);
            return;
        }

        var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var logger = logs.CreateLogger("Coaching.Notifications");
        // A stream ends when the client goes, when the process stops, or when the token it was opened with expires:
        // a stream must not outlive the right to read it.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        if (TokenExpiry(http) is { } expires)
        {
            ending.CancelAfter(Clamp(expires - DateTimeOffset.UtcNow));
        }

        var ended = ending.Token;

        var listener = new LiveListener();
        // Subscribed before the answer starts, so a cluster that cannot be reached still gets a proper 503.
        await using var subscription = await InboxSubscription.Open(grains, userId, listener, logger);
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.StartAsync(ended);
            await http.Response.Body.FlushAsync(ended);

            while (!ended.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ended);
                wait.CancelAfter(Heartbeat);
                string frame;
                try
                {
                    var notification = await listener.Arrivals.ReadAsync(wait.Token);
                    frame = $"id: {notification.Id}\ndata: {System.Text.Json.JsonSerializer.Serialize(notification, json)}\n\n";
                }
                catch (OperationCanceledException) when (!ended.IsCancellationRequested)
                {
                    // Comments keep idle connections open through proxies and tell a dead client early.
                    frame = ": keep-alive\n\n";
                }

                await http.Response.WriteAsync(frame, ended);
                await http.Response.Body.FlushAsync(ended);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ended.IsCancellationRequested)
        {
            // The client went away, the token expired or the process is stopping.
        }
    }

    /// <summary>When the token the request came with expires: its <c>exp</c>, as authentication read it.</summary>
    private static DateTimeOffset? TokenExpiry(HttpContext http) =>
        http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;

    // A timer cannot wait longer than about 49 days; a token that lives longer ends its stream then.
    private static TimeSpan Clamp(TimeSpan remaining) =>
        TimeSpan.FromTicks(Math.Clamp(remaining.Ticks, 0, TimeSpan.FromMilliseconds(uint.MaxValue - 1).Ticks));

    private sealed class LiveListener : INotificationObserver
    {
        private readonly Channel<NotificationView> arrivals =
            Channel.CreateBounded<NotificationView>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

        public ChannelReader<NotificationView> Arrivals => arrivals.Reader;

        public Task Notify(NotificationView notification)
        {
            arrivals.Writer.TryWrite(notification);
            return Task.CompletedTask;
        }
    }
}


using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Coaching.Testing;
using Coaching.Inbox;
using Coaching.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Coaching.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class NotificationTests(SharedApi api)
{
    private static readonly NotificationSubject Session = new(NotificationSubjectKind.Session, "S-1");

    private IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task The_inbox_lists_newest_first_marks_read_and_delivers_once_per_key()
    {
        var inbox = Grains.GetGrain<INotificationInboxGrain>("nt-u1");
        await inbox.Deliver(new NotificationDraft("k1", NotificationType.SessionSuggested, "First", Session));
        await inbox.Deliver(new NotificationDraft("k2", NotificationType.SessionScheduled, "Second", Session));
        await inbox.Deliver(new NotificationDraft("k1", NotificationType.SessionSuggested, "First again", Session));

        var client = api.As("nt-u1", ["coach"]);
        var all = await (await client.GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.OK);
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Second", "First"], items.Select(i => i.GetProperty("text").GetString()));

        var firstId = items[1].GetProperty("id").GetString();
        await (await client.PostAsync($"/v1/me/notifications/{firstId}/read", null)).Expect(HttpStatusCode.NoContent);
        var unread = await (await client.GetAsync("/v1/me/notifications?unread=true")).Expect(HttpStatusCode.OK);
        Assert.Equal(["Second"], unread.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()));

        // Someone else's inbox is their own: the same id is not found in another user's.
        await (await api.As("nt-u2", ["coach"]).PostAsync($"/v1/me/notifications/{firstId}/read", null)).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_stream_receives_a_notification_within_a_second()
    {
        var client = api.As("nt-live", ["agent"]);
        using var response = await client.GetAsync("/v1/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = await response.Content.ReadAsStreamAsync();
        var firstData = Task.Run(async () =>
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    return (Line: line, At: Stopwatch.GetTimestamp());
                }
            }

            throw new InvalidOperationException("stream ended");
        });

        // The subscription is made as the stream starts: keep delivering, each stamped with when it was sent.
        var inbox = Grains.GetGrain<INotificationInboxGrain>("nt-live");
        var sentAt = new Dictionary<string, long>();
        for (var i = 0; i < 50 && !firstData.IsCompleted; i++)
        {
            sentAt[$"n{i}"] = Stopwatch.GetTimestamp();
            await inbox.Deliver(new NotificationDraft($"live-{i}", NotificationType.AssessmentAssigned, $"n{i}", new NotificationSubject(NotificationSubjectKind.Assessment, "A-1")));
            await Task.WhenAny(firstData, Task.Delay(100));
        }

        var (data, receivedAt) = await firstData.WaitAsync(TimeSpan.FromSeconds(5));
        var json = JsonDocument.Parse(data["data: ".Length..]).RootElement;
        Assert.Equal("assessment-assigned", json.GetProperty("type").GetString());
        var latency = Stopwatch.GetElapsedTime(sentAt[json.GetProperty("text").GetString()!], receivedAt);
        Assert.True(latency < TimeSpan.FromSeconds(1), $"took {latency}");
    }
}

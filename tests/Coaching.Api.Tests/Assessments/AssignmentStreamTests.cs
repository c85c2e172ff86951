using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Coaching.Inbox;
using Coaching.Notifications;

namespace Coaching.Api.Tests.Assessments;

[Collection(ApiCollection.Name)]
public sealed class AssignmentStreamTests(SharedApi api)
{
    [Fact]
    public async Task A_coach_connected_to_the_stream_gets_the_assignment_within_a_second_of_creation()
    {
        var floor = await new CoachingFloor(api, "stream").SetUp();
        var coachId = floor.AssignedCoach;
        using var response = await floor.AsCoach(coachId).GetAsync("/v1/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        var lines = Channel.CreateUnbounded<(JsonElement Data, long At)>();
        var reading = Task.Run(async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    await lines.Writer.WriteAsync((JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone(), Stopwatch.GetTimestamp()));
                }
            }
        });

        // The stream subscribes as it starts: probe until a notification comes through, so the clock below
        // measures delivery and not the subscription.
        var inbox = floor.Grains.GetGrain<INotificationInboxGrain>(coachId);
        var subscribed = false;
        for (var i = 0; i < 50 && !subscribed; i++)
        {
            await inbox.Deliver(new NotificationDraft($"probe-{i}", NotificationType.SessionSuggested, "probe", new NotificationSubject(NotificationSubjectKind.Session, "probe")));
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                await lines.Reader.ReadAsync(wait.Token);
                subscribed = true;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.True(subscribed, "the stream never delivered a probe");
        while (lines.Reader.TryRead(out _))
        {
        }

        var createdAt = Stopwatch.GetTimestamp();
        var assessment = await floor.Create("evt-stream-1");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        JsonElement data;
        long receivedAt;
        do
        {
            (data, receivedAt) = await lines.Reader.ReadAsync(deadline.Token);
        }
        while (data.GetProperty("type").GetString() == "session-suggested");

        Assert.Equal("assessment-assigned", data.GetProperty("type").GetString());
        Assert.Equal(assessment.Id, data.GetProperty("subject").GetProperty("id").GetString());
        Assert.Equal("assessment", data.GetProperty("subject").GetProperty("kind").GetString());
        Assert.Contains($"Name of {floor.Trainee}", data.GetProperty("text").GetString(), StringComparison.Ordinal);
        var latency = Stopwatch.GetElapsedTime(createdAt, receivedAt);
        Assert.True(latency < TimeSpan.FromSeconds(1), $"took {latency}");
        Assert.False(reading.IsFaulted);
    }
}

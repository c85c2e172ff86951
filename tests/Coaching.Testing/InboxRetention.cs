using System.Net;
using Coaching.Inbox;
using Coaching.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coaching.Testing;

/// <summary>
/// An inbox keeps the newest <c>KeepPerUser</c> notifications younger than <c>KeepFor</c>, and its store holds no
/// more than that (plus the few it deletes in one go): the same proof for each storage.
/// </summary>
public static class InboxRetention
{
    private static readonly NotificationSubject Subject = new(NotificationSubjectKind.Assessment, "A-1");

    /// <summary>Settings that keep 10 notifications per user (and, when given, for that long).</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? storage, string? keepFor = null)
    {
        var settings = new Dictionary<string, string?>(storage ?? new Dictionary<string, string?>())
        {
            ["Coaching:Notifications:KeepPerUser"] = "10",
        };
        if (keepFor is not null)
        {
            settings["Coaching:Notifications:KeepFor"] = keepFor;
        }

        return settings;
    }

    /// <summary>50 deliveries: the newest 10 are listed, and at most 11 stay stored, also after a deactivation.</summary>
    public static async Task KeepsTheNewestByCount(CoachingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var inbox = api.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>("ret-count");
        for (var i = 1; i <= 50; i++)
        {
            await inbox.Deliver(new NotificationDraft($"k{i}", NotificationType.AssessmentAssigned, $"Notification {i}", Subject));
        }

        var expected = Enumerable.Range(41, 10).Reverse().Select(i => $"Notification {i}").ToArray();
        Assert.Equal(expected, await Texts(api, "ret-count"));
        Assert.InRange(await Stored(api, "ret-count"), 10, 11);

        await api.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(expected, await Texts(api, "ret-count"));
        Assert.Equal(10, await Stored(api, "ret-count"));
    }

    /// <summary>
    /// With <c>KeepFor</c> = 1 h: notifications older than that are neither listed nor kept. Their age comes from the
    /// host's <paramref name="clock"/>, moved on past the hour instead of waiting for them to age (so a slow machine
    /// cannot age them early either).
    /// </summary>
    public static async Task ForgetsTheOld(CoachingApi api, ShiftedClock clock)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(clock);
        var inbox = api.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>("ret-age");
        for (var i = 1; i <= 3; i++)
        {
            await inbox.Deliver(new NotificationDraft($"k{i}", NotificationType.AssessmentAssigned, $"Old {i}", Subject));
        }

        Assert.Equal(3, (await Texts(api, "ret-age")).Length);
        clock.MoveOn(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(30));

        Assert.Empty(await Texts(api, "ret-age"));
        await inbox.Deliver(new NotificationDraft("k4", NotificationType.AssessmentAssigned, "New", Subject));
        Assert.Equal(["New"], await Texts(api, "ret-age"));
        Assert.Equal(1, await Stored(api, "ret-age"));
    }

    private static async Task<string[]> Texts(CoachingApi api, string user)
    {
        var page = await (await api.As(user, ["coach"]).GetAsync("/v1/me/notifications?limit=200")).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!)];
    }

    private static async Task<int> Stored(CoachingApi api, string user) =>
        (await api.Services.GetRequiredService<INotificationStore>().Load(user, 100_000)).Count;
}

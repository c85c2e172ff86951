using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>Inboxes keep a bounded number of notifications for a bounded time, in the in-memory store.</summary>
public sealed class NotificationRetentionTests
{
    [Fact]
    public async Task An_inbox_keeps_the_newest_notifications_up_to_its_count_in_memory()
    {
        await using var api = new CoachingApi(InboxRetention.Settings(null));
        await InboxRetention.KeepsTheNewestByCount(api);
    }

    [Fact]
    public async Task An_inbox_forgets_notifications_older_than_its_age_in_memory()
    {
        var clock = new ShiftedClock();
        await using var api = new CoachingApi(InboxRetention.Settings(null, keepFor: "01:00:00"), clock);
        await InboxRetention.ForgetsTheOld(api, clock);
    }
}

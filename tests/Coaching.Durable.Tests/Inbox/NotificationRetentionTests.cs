using Coaching.Testing;

namespace Coaching.Durable.Tests.Inbox;

/// <summary>The retention of the in-memory test of the API suite, on PostgreSQL: rows beyond it are deleted.</summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationRetentionTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_inbox_keeps_the_newest_notifications_up_to_its_count_on_PostgreSQL()
    {
        var storage = SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("inbox_count"), "inbox-count");
        await using var api = new CoachingApi(InboxRetention.Settings(storage));
        await InboxRetention.KeepsTheNewestByCount(api);
    }

    [Fact]
    public async Task An_inbox_forgets_notifications_older_than_its_age_on_PostgreSQL()
    {
        var storage = SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("inbox_age"), "inbox-age");
        var clock = new ShiftedClock();
        await using var api = new CoachingApi(InboxRetention.Settings(storage, keepFor: "01:00:00"), clock);
        await InboxRetention.ForgetsTheOld(api, clock);
    }
}

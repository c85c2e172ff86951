using System.Net;
using System.Text.Json;
using Coaching.Inbox;
using Coaching.Notifications;
using Coaching.Silo.Schema;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Coaching.Durable.Tests.Inbox;

/// <summary>Notifications stored one row each: a delivery writes one row, keys stay unique, old inboxes move over.</summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationStoreTests(PostgresServer postgres)
{
    private const string Coach = "n-coach";
    private static readonly NotificationSubject Subject = new(NotificationSubjectKind.Assessment, "A-1");

    [Fact]
    public async Task Notifications_list_the_same_over_HTTP_after_a_restart_and_a_redelivery_adds_nothing()
    {
        var settings = SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("inbox_restart"), "inbox-restart");

        string[] before;
        await using (var first = new CoachingApi(settings))
        {
            var inbox = first.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(Coach);
            for (var i = 0; i < 5; i++)
            {
                await inbox.Deliver(Draft($"k{i}", $"Assessment {i} assigned"));
            }

            await inbox.Deliver(Draft("k1", "Assessment 1 assigned again"));
            var client = first.As(Coach, ["coach"]);
            var second = (await ListAll(client))[3];
            await (await client.PostAsync($"/v1/me/notifications/{second.GetProperty("id").GetString()}/read", null)).Expect(HttpStatusCode.NoContent);
            before = Json(await ListAll(client));
            Assert.Equal(5, before.Length);
        }

        await using var again = new CoachingApi(settings);
        var coach = again.As(Coach, ["coach"]);
        Assert.Equal(before, Json(await ListAll(coach)));
        var unread = await (await coach.GetAsync("/v1/me/notifications?unread=true")).Expect(HttpStatusCode.OK);
        Assert.Equal(4, unread.GetProperty("items").GetArrayLength());

        // The keys are remembered across the restart; the next notification follows the last id.
        var restarted = again.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(Coach);
        await restarted.Deliver(Draft("k4", "Assessment 4 assigned again"));
        await restarted.Deliver(Draft("k5", "Assessment 5 assigned"));
        var after = await ListAll(coach);
        Assert.Equal(6, after.Count);
        Assert.Equal("0000000006", after[0].GetProperty("id").GetString());
        Assert.Equal("Assessment 5 assigned", after[0].GetProperty("text").GetString());
        Assert.Equal(before, Json(after.Skip(1)));
    }

    [Fact]
    public async Task A_delivery_writes_one_row_whatever_the_size_of_the_inbox()
    {
        const int Size = 300;
        var database = await postgres.CreateDatabaseAsync("inbox_one_row");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "inbox"));
        try
        {
            var inbox = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(Coach);
            for (var i = 0; i < Size; i++)
            {
                await inbox.Deliver(Draft($"k{i}", $"Notice {i}"));
            }

            var before = await Rows(database);
            Assert.Equal(Size, before.Count);
            Assert.Equal(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM orleans_grain_state WHERE state_name = 'inbox'"));

            await inbox.Deliver(Draft("k-new", "One more"));
            var after = await Rows(database);
            Assert.Equal(Size + 1, after.Count);
            Assert.All(before, row => Assert.Equal(row.Value, after[row.Key]));

            // The same key again writes nothing; marking one read writes that row only.
            await inbox.Deliver(Draft("k-new", "One more again"));
            await inbox.Deliver(Draft("k7", "Notice 7 again"));
            Assert.Equal(after, await Rows(database));
            Assert.True(await inbox.MarkRead("0000000150"));
            Assert.False(await inbox.MarkRead("0000009999"));
            var read = await Rows(database);
            Assert.Equal("0000000150", Assert.Single(read, row => row.Value != after[row.Key]).Key);

            var page = await inbox.List(unreadOnly: false, 2, null);
            Assert.Equal(["One more", "Notice 299"], page.Items.Select(n => n.Text));
            Assert.Equal("0000000300", page.NextCursor);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Fact]
    public async Task Two_writers_on_one_inbox_cannot_store_the_same_id_or_key_twice()
    {
        // Two activations of one inbox (a failover) working from the same last id, each with its own transactions.
        var database = await Database.CreateWithSchemaAsync(postgres, "inbox_race");
        await using var leftBatcher = Database.Batcher(database);
        await using var rightBatcher = Database.Batcher(database);
        var cluster = Database.Service("inbox");
        var left = new PostgresNotificationStore(leftBatcher, cluster);
        var right = new PostgresNotificationStore(rightBatcher, cluster);
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var first = new NotificationView("0000000001", NotificationType.AssessmentAssigned, "First", Subject, at, false);

        Assert.Equal(new NotificationAdded(true, null), await left.Add(Coach, "k1", first));
        // The same id under another key: taken.
        Assert.Equal(new NotificationAdded(false, null), await right.Add(Coach, "k2", first with { Text = "Other" }));
        // The same key under the next id: the earlier one is answered.
        Assert.Equal(new NotificationAdded(false, first), await right.Add(Coach, "k1", first with { Id = "0000000002" }));
        Assert.Equal([new StoredNotification("k1", first)], await right.Load(Coach, 10));

        // Another recipient is its own sequence and keys.
        Assert.True((await right.Add("n-other", "k1", first)).Added);
        Assert.True(await left.MarkRead("n-other", first.Id));
        Assert.False(await left.MarkRead("n-other", "0000000002"));
        Assert.False(Assert.Single(await left.Load(Coach, 10)).Notification.Read);
    }

    [Fact]
    public async Task An_inbox_whose_next_id_another_activation_took_reads_again_and_takes_the_one_after()
    {
        var database = await postgres.CreateDatabaseAsync("inbox_taken_id");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "inbox"));
        try
        {
            var inbox = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(Coach);
            await inbox.Deliver(Draft("k1", "First"));
            // Another activation of the inbox (as after a failover) stores the id this one would take next.
            var other = new NotificationView("0000000002", NotificationType.AssessmentAssigned, "From the other", Subject,
                new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), false);
            Assert.True((await silo.Services.GetRequiredService<INotificationStore>().Add(Coach, "k2", other)).Added);

            await inbox.Deliver(Draft("k3", "Third"));
            await inbox.Deliver(Draft("k2", "From the other, again"));
            var page = await inbox.List(unreadOnly: false, 10, null);
            Assert.Equal(["0000000003", "0000000002", "0000000001"], page.Items.Select(n => n.Id));
            Assert.Equal(["Third", "From the other", "First"], page.Items.Select(n => n.Text));
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Fact]
    public async Task Inboxes_stored_as_inbox_grain_state_move_to_their_table_on_upgrade()
    {
        var database = await Database.CreateWithSchemaAsync(postgres, "inbox_upgrade");
        // As the earlier design stored an inbox: its whole grain state as one JSON row (PascalCase).
        await EarlierGrainState.InsertAsync(database, "inbox", "inbox", Coach, """
            {"LastSequence":3,
             "Items":[
               {"Id":"0000000002","Type":"assessment-assigned","Text":"Assessment A-1 assigned","Subject":{"Kind":"assessment","Id":"A-1"},"CreatedAt":"2026-11-20T10:00:00+00:00","Read":true},
               {"Id":"0000000003","Type":7,"Text":"Assessment A-1 resolved","Subject":{"Kind":1,"Id":"A-1"},"CreatedAt":"2026-11-20T12:30:00+01:00","Read":false}],
             "DeliveredKeys":{"A-1:AssessmentAssigned:1":"0000000002","A-1:AssessmentResolved:4":"0000000003"}}
            """);

        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);
        // Applying it again moves nothing twice.
        await PostgresSchema.ApplyAsync(database, null, CancellationToken.None);

        Assert.Equal(0L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM orleans_grain_state WHERE state_name = 'inbox'"));
        await using var batcher = Database.Batcher(database);
        var store = new PostgresNotificationStore(batcher, Database.Service("inbox"));
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            new[]
            {
                new StoredNotification("A-1:AssessmentResolved:4",
                    new NotificationView("0000000003", NotificationType.AssessmentResolved, "Assessment A-1 resolved", Subject, at.AddHours(1.5), false)),
                new StoredNotification("A-1:AssessmentAssigned:1",
                    new NotificationView("0000000002", NotificationType.AssessmentAssigned, "Assessment A-1 assigned", Subject, at, true)),
            },
            await store.Load(Coach, 10));

        // A delivery key moved with its notification still refuses a second delivery.
        Assert.False((await store.Add(Coach, "A-1:AssessmentAssigned:1",
            new NotificationView("0000000004", NotificationType.AssessmentAssigned, "Again", Subject, at, false))).Added);
    }

    private static NotificationDraft Draft(string key, string text) => new(key, NotificationType.AssessmentAssigned, text, Subject);

    private static string[] Json(IEnumerable<JsonElement> items) => [.. items.Select(i => JsonSerializer.Serialize(i))];

    /// <summary>Every notification of the user over HTTP, newest first, page by page.</summary>
    private static async Task<List<JsonElement>> ListAll(HttpClient client)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/v1/me/notifications?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).Expect(HttpStatusCode.OK);
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return all;
    }

    /// <summary>Each notification row of the coach with the transaction that last wrote it (xmin).</summary>
    private static async Task<Dictionary<string, string>> Rows(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT id, xmin::text FROM coaching_notifications WHERE recipient = $1", connection);
        select.Parameters.AddWithValue(Coach);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }
}

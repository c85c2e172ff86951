using System.Net;
using System.Text.Json;
using Coaching.Testing;
using Npgsql;

namespace Coaching.Durable.Tests.Sessions;

/// <summary>
/// A suggested session on PostgreSQL: its state (System.Text.Json rows) and its expiry reminder survive a
/// full restart, and it expires on the reminder of a host started after its expiry time.
/// </summary>
[Collection(RestartingPostgresCollection.Name)]
public sealed class SessionExpiryRestartTests(PostgresServer postgres)
{
    private const string ExpiredText = "Coaching Session has been canceled because the suggested coaching session was not scheduled and has expired.";

    [Fact]
    public async Task A_session_suggested_before_a_full_restart_expires_after_it()
    {
        var database = await postgres.CreateDatabaseAsync("session_expiry_restart");
        string id;
        JsonElement before;
        DateTimeOffset expiresAt;

        var first = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "sessions"));
        try
        {
            var admin = first.Admin();
            foreach (var (user, name) in new[] { ("sup", "Sam Super"), ("coach", "Cora Coach"), ("coach2", "Carl Coach"), ("t1", "Tia Trainee"), ("t2", "Tom Trainee") })
            {
                await (await admin.PutJson($"/v1/users/{user}", new { displayName = name })).Expect(HttpStatusCode.OK);
            }

            await (await admin.PutJson("/v1/groups/coaches", new { displayName = "Coaches", members = new[] { "coach", "coach2" } })).Expect(HttpStatusCode.OK);
            await (await admin.PutJson("/v1/groups/team", new { displayName = "Team", members = new[] { "t1", "t2" } })).Expect(HttpStatusCode.OK);
            await (await admin.PutJson("/v1/coaching-areas/empathy", new { name = "Empathy" })).Expect(HttpStatusCode.OK);

            // Late enough that it cannot expire before the first host is gone.
            expiresAt = DateTimeOffset.UtcNow.AddSeconds(20);
            var created = await (await Supervisor(first).PostJson("/v1/sessions", new
            {
                title = "Empathy on escalations",
                coach = new { type = "group", id = "coaches" },
                trainees = new object[] { new { type = "group", id = "team" } },
                coachingArea = "empathy",
                expiresAt,
                referenceCases = new[] { "CASE-9" },
            })).Expect(HttpStatusCode.Created);
            id = created.GetProperty("id").GetString()!;
            before = await (await Supervisor(first).GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.Equal(1L, await CountExpiryRemindersAsync(database));
        var wait = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        Assert.True(wait > TimeSpan.FromSeconds(2), $"the first host took too long to stop; {wait} left");
        // Nothing runs until after the expiry time: the second host starts with its clock that much later (a shifted
        // clock instead of a wait; it starts for real, on the same database and reminder table).
        var later = new ShiftedClock();
        later.MoveOn(wait);

        var second = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "sessions"), later);
        try
        {
            // Only the supervisor's inbox is read: nothing activates the session but its reminder.
            var expired = await SiloUnderTest.EventuallyAsync(
                async () => (await NoticesAsync(second, "sup", id)).Count > 0, TimeSpan.FromSeconds(60));
            Assert.True(expired, "the session did not expire after the restart");

            Assert.Equal([$"session-expired: {ExpiredText}"], await NoticesAsync(second, "sup", id));
            Assert.Equal([$"session-suggested: Sam Super suggested a coaching session.", $"session-expired: {ExpiredText}"], await NoticesAsync(second, "coach2", id));
            var after = await (await Supervisor(second).GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
            Assert.Equal("Canceled", after.GetProperty("state").GetString());
            Assert.Equal("expired", after.GetProperty("canceledBy").GetString());
            foreach (var field in new[] { "title", "coach", "trainees", "traineeUsers", "coachUsers", "coachingArea", "referenceCases", "suggestedBy", "expiresAt", "createdAt" })
            {
                Assert.Equal(before.GetProperty(field).GetRawText(), after.GetProperty(field).GetRawText());
            }

            Assert.Equal(["suggested", "expired"], after.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
            var listed = await (await Supervisor(second).GetAsync("/v1/me/suggested-sessions")).Expect(HttpStatusCode.OK);
            Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => await CountExpiryRemindersAsync(database) == 0, TimeSpan.FromSeconds(10)),
                "the one-shot expiry reminder was not unregistered");
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_session_whose_expiry_tick_was_lost_expires_when_it_is_next_activated()
    {
        var database = await postgres.CreateDatabaseAsync("session_expiry_catch_up");
        string id;
        DateTimeOffset expiresAt;

        var first = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "sessions"));
        try
        {
            var admin = first.Admin();
            foreach (var (user, name) in new[] { ("sup", "Sam Super"), ("coach", "Cora Coach"), ("t1", "Tia Trainee") })
            {
                await (await admin.PutJson($"/v1/users/{user}", new { displayName = name })).Expect(HttpStatusCode.OK);
            }

            await (await admin.PutJson("/v1/coaching-areas/empathy", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
            expiresAt = DateTimeOffset.UtcNow.AddSeconds(10);
            id = (await (await Supervisor(first).PostJson("/v1/sessions", new
            {
                title = "Empathy on escalations",
                coach = new { type = "user", id = "coach" },
                trainees = new object[] { new { type = "user", id = "t1" } },
                coachingArea = "empathy",
                expiresAt,
            })).Expect(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The reminder is lost altogether: only the activation check is left to expire it.
        Assert.Equal(1L, await DeleteExpiryRemindersAsync(database));
        // The host comes back after the expiry time (its clock shifted past it, as in the test above).
        var later = new ShiftedClock();
        later.MoveOn(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));

        var second = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "sessions"), later);
        try
        {
            var after = await (await Supervisor(second).GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);

            Assert.Equal("Canceled", after.GetProperty("state").GetString());
            Assert.Equal("expired", after.GetProperty("canceledBy").GetString());
            Assert.Equal([$"session-expired: {ExpiredText}"], await NoticesAsync(second, "sup", id));
            Assert.Equal([$"session-suggested: Sam Super suggested a coaching session.", $"session-expired: {ExpiredText}"], await NoticesAsync(second, "coach", id));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static async Task<int> DeleteExpiryRemindersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var delete = new NpgsqlCommand("DELETE FROM orleans_reminder WHERE reminder_name = 'expiry'", connection);
        return await delete.ExecuteNonQueryAsync();
    }

    private static HttpClient Supervisor(CoachingApi api) => api.As("sup", ["supervisor"], ["suggestions.create", "suggestions.view"]);

    private static async Task<List<string>> NoticesAsync(CoachingApi api, string userId, string sessionId)
    {
        var page = await (await api.As(userId, ["coach"]).GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("subject").GetProperty("id").GetString() == sessionId)
            .Reverse()
            .Select(i => $"{i.GetProperty("type").GetString()}: {i.GetProperty("text").GetString()}")];
    }

    private static async Task<long> CountExpiryRemindersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_reminder WHERE reminder_name = 'expiry'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using Coaching.Assessments;
using Coaching.Directory;
using Coaching.Inbox;
using Coaching.Notifications;
using Coaching.Outbox;
using Coaching.Testing;
using Coaching.Trainees;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Coaching.Durable.Tests.Outbox;

/// <summary>
/// The one outbox (<see cref="OutboxRules"/>, <see cref="OutboxPublisher"/>) of both grains with side effects, on
/// PostgreSQL through the real API host: a crash between a transition's write and its effects is repaired when the
/// grain is next activated, each effect arriving once; while the downstream grains fail, reads and commands still
/// answer, and the effects arrive once they recover.
/// </summary>
/// <remarks>
/// A downstream grain fails because its table refuses writes (a trigger raising a serialization failure, which the
/// stores retry and then give up on). The "crash" is the grain's row put back to what the transition's write stored,
/// with the outbox reminder gone, so only the activation can repair it: once with nothing delivered yet, and once
/// more after everything was delivered (a crash after publishing, before the emptied outbox was stored).
/// </remarks>
[Collection(RestartingPostgresCollection.Name)]
public sealed class OutboxRecoveryTests(PostgresServer postgres)
{
    private const string Trainee = "o-trainee";
    private const string CoachA = "o-coach-a";
    private const string CoachB = "o-coach-b";
    private const string CoachGroup = "o-coaches";
    private const string Supervisor = "o-sup";
    private const string SessionCoach = "o-coach";
    private const string NotificationsTable = "coaching_notifications";
    private const string LinesTable = "coaching_assessment_lines";
    private const string SessionEntriesTable = "coaching_session_list_entries";

    [Fact]
    public async Task An_assessment_transition_cut_short_by_a_crash_is_published_once_when_it_next_activates()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_assessment_crash");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-assessment-crash");
        var id = AssessmentIds.For("COP-O", "evt-o-crash");
        string first, second;
        byte[] afterTransition;

        var api = new CoachingApi(settings);
        try
        {
            var grains = Grains(api);
            await SetUpFloor(grains);
            first = (await grains.GetGrain<IAssessmentGrain>(id).Create(NewAssessment("evt-o-crash"))).CoachId!;
            second = first == CoachA ? CoachB : CoachA;

            // The transition is stored; none of its effects can go out.
            await RefuseWrites(database, LinesTable, NotificationsTable);
            var change = await grains.GetGrain<IAssessmentGrain>(id).Reassign(new AssessmentActor("an-admin", IsAdmin: true), second);
            Assert.Null(change.Refusal);
            afterTransition = await PayloadAsync(database, "assessment", id);
            Assert.Contains(AssessmentQueues.OfCoach(second), OutboxOf(afterTransition), StringComparison.Ordinal);
        }
        finally
        {
            await api.DisposeAsync();
        }

        await AllowWrites(database, LinesTable, NotificationsTable);
        for (var crash = 1; crash <= 2; crash++)
        {
            // As a crash right after the transition's write leaves it: first with nothing delivered, then with
            // everything delivered but the emptied outbox never stored.
            await RestoreAsync(database, "assessment", id, afterTransition);
            await ForgetOutboxRemindersAsync(database);
            api = new CoachingApi(settings);
            try
            {
                var read = await (await api.As(Trainee, ["agent"]).GetAsync($"/v1/assessments/{id}")).Expect(HttpStatusCode.OK);
                Assert.Equal(second, read.GetProperty("coach").GetString());

                var grains = Grains(api);
                var all = new AssessmentFilter([]);
                Assert.Equal([id], (await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(second)).List(all, 10, null)).Items.Select(l => l.Id));
                Assert.Empty((await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(first)).List(all, 10, null)).Items);
                var notices = (await grains.GetGrain<INotificationInboxGrain>(second).List(unreadOnly: false, 10, null)).Items;
                var notice = Assert.Single(notices, n => n.Subject.Id == id);
                Assert.Equal(NotificationType.AssessmentAssigned, notice.Type);
            }
            finally
            {
                await api.DisposeAsync();
            }

            Assert.Equal("null", OutboxOf(await PayloadAsync(database, "assessment", id)));
        }
    }

    [Fact]
    public async Task A_session_transition_cut_short_by_a_crash_is_published_once_when_it_next_activates()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_session_crash");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-session-crash");
        string id;
        byte[] afterTransition;

        var api = new CoachingApi(settings);
        try
        {
            await SetUpPeople(api);
            // The suggestion is stored and answered; none of its effects can go out.
            await RefuseWrites(database, SessionEntriesTable, NotificationsTable);
            id = await SuggestAsync(api);
            afterTransition = await PayloadAsync(database, "suggested-session", id);
            Assert.Contains($"\"{SessionCoach}\"", OutboxOf(afterTransition), StringComparison.Ordinal);
            Assert.Empty(await SuggestedByAsync(api, id));
        }
        finally
        {
            await api.DisposeAsync();
        }

        await AllowWrites(database, SessionEntriesTable, NotificationsTable);
        for (var crash = 1; crash <= 2; crash++)
        {
            await RestoreAsync(database, "suggested-session", id, afterTransition);
            await ForgetOutboxRemindersAsync(database);
            api = new CoachingApi(settings);
            try
            {
                var read = await (await SupervisorClient(api).GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
                Assert.Equal("Suggested", read.GetProperty("state").GetString());

                Assert.Equal([id], await SuggestedByAsync(api, id));
                Assert.Equal(["session-suggested"], await NoticesAsync(api, SessionCoach, id));
            }
            finally
            {
                await api.DisposeAsync();
            }

            Assert.Equal("[]", OutboxOf(await PayloadAsync(database, "suggested-session", id)));
        }
    }

    [Fact]
    public async Task While_its_lists_and_inboxes_fail_a_session_answers_reads_and_commands_and_its_effects_go_out_once_they_recover()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_session_down");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-session-down");
        var api = new CoachingApi(settings);
        try
        {
            await SetUpPeople(api);
            var id = await SuggestAsync(api);
            Assert.Equal(["session-suggested"], await NoticesAsync(api, SessionCoach, id));

            await RefuseWrites(database, SessionEntriesTable, NotificationsTable);
            var coach = api.As(SessionCoach, ["coach"], ["suggestions.view"]);
            var scheduled = await (await coach.PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = DateTimeOffset.UtcNow.AddDays(1), durationMinutes = 30 }))
                .Expect(HttpStatusCode.OK);
            Assert.Equal("Scheduled", scheduled.GetProperty("state").GetString());
            Assert.Equal("Scheduled", (await (await SupervisorClient(api).GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
            Assert.Equal("Scheduled", (await (await coach.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
            Assert.Empty(await NoticesAsync(api, Supervisor, id));

            await AllowWrites(database, SessionEntriesTable, NotificationsTable);

            // The retry timer delivers them without any call to the session.
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => (await NoticesAsync(api, Supervisor, id)).Count > 0, TimeSpan.FromSeconds(30)),
                "the session's outbox was not published within 30 s of the recovery");
            Assert.Equal(["session-scheduled"], await NoticesAsync(api, Supervisor, id));
            Assert.Equal(["session-suggested"], await NoticesAsync(api, SessionCoach, id));
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => await SuggestedStateAsync(api, id) == "Scheduled", TimeSpan.FromSeconds(30)),
                "the supervisor's list still shows the session as it was before it was scheduled");
            Assert.Equal([id], await SuggestedByAsync(api, id));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task Assessment_effects_refused_before_a_restart_are_published_by_the_outbox_reminder_without_any_call_to_it()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_assessment_reminder");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-assessment-reminder");
        var id = AssessmentIds.For("COP-O", "evt-o-reminder");
        string second;

        var api = new CoachingApi(settings);
        try
        {
            var grains = Grains(api);
            await SetUpFloor(grains);
            var first = (await grains.GetGrain<IAssessmentGrain>(id).Create(NewAssessment("evt-o-reminder"))).CoachId!;
            second = first == CoachA ? CoachB : CoachA;
            await RefuseWrites(database, LinesTable, NotificationsTable);
            Assert.Null((await grains.GetGrain<IAssessmentGrain>(id).Reassign(new AssessmentActor("an-admin", IsAdmin: true), second)).Refusal);
        }
        finally
        {
            await api.DisposeAsync();
        }

        await AllowWrites(database, LinesTable, NotificationsTable);
        api = new CoachingApi(settings);
        try
        {
            // Only the new coach's inbox and queue are read: nothing calls the assessment, only its reminder can wake it.
            var grains = Grains(api);
            Assert.True(await SiloUnderTest.EventuallyAsync(async () =>
                (await grains.GetGrain<INotificationInboxGrain>(second).List(unreadOnly: false, 10, null)).Items.Any(n => n.Subject.Id == id),
                TimeSpan.FromSeconds(60)), "the outbox reminder did not publish the assessment's effects after the restart");
            Assert.Equal([id], (await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(second)).List(new AssessmentFilter([]), 10, null)).Items.Select(l => l.Id));
            Assert.Single((await grains.GetGrain<INotificationInboxGrain>(second).List(unreadOnly: false, 10, null)).Items, n => n.Subject.Id == id);
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => await CountOutboxRemindersAsync(database) == 0, TimeSpan.FromSeconds(30)),
                "the outbox reminder stayed once the outbox was published");
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task Session_effects_refused_before_a_restart_are_published_by_the_outbox_reminder_without_any_call_to_it()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_session_reminder");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-session-reminder");
        string id;

        var api = new CoachingApi(settings);
        try
        {
            await SetUpPeople(api);
            await RefuseWrites(database, SessionEntriesTable, NotificationsTable);
            id = await SuggestAsync(api);
        }
        finally
        {
            await api.DisposeAsync();
        }

        await AllowWrites(database, SessionEntriesTable, NotificationsTable);
        api = new CoachingApi(settings);
        try
        {
            // Only the coach's inbox and the supervisor's list are read: nothing calls the session, only a reminder can wake it.
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => (await NoticesAsync(api, SessionCoach, id)).Count > 0, TimeSpan.FromSeconds(60)),
                "no reminder published the session's effects after the restart");
            Assert.Equal(["session-suggested"], await NoticesAsync(api, SessionCoach, id));
            Assert.Equal([id], await SuggestedByAsync(api, id));
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => await CountOutboxRemindersAsync(database) == 0, TimeSpan.FromSeconds(30)),
                "the outbox reminder stayed once the outbox was published");
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_session_row_of_the_earlier_design_loads_and_puts_its_row_on_the_lists_it_was_not_confirmed_on()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_session_upgrade");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-session-upgrade");
        string id;

        var api = new CoachingApi(settings);
        try
        {
            await SetUpPeople(api);
            id = await SuggestAsync(api);
        }
        finally
        {
            await api.DisposeAsync();
        }

        // As the earlier design left a suggestion whose list updates a crash cut short: confirmed on the supervisor's
        // list only (IndexedUnder, ListedRevision), no outbox row or lists of the new shape; the coach's list without it.
        var supervisorList = "supervisor:" + Supervisor;
        await ExecuteAsync(database,
            "UPDATE orleans_grain_state SET payload = convert_to((" +
            "  WITH s AS (SELECT convert_from(payload, 'UTF8')::jsonb AS p)" +
            "  SELECT (p - 'Row' - 'Lists' - 'LeftLists') || jsonb_build_object('IndexedUnder', jsonb_build_array('" + supervisorList + "'), 'ListedRevision', p #> '{Row,Revision}')" +
            "  FROM s)::text, 'UTF8') " +
            "WHERE state_name = 'suggested-session' AND grain_id_extension = '" + id + "'");
        await ExecuteAsync(database, $"DELETE FROM coaching_session_list_entries WHERE session_id = '{id}' AND list_key <> '{supervisorList}'");
        var earlier = Encoding.UTF8.GetString(await PayloadAsync(database, "suggested-session", id));
        Assert.Contains("\"IndexedUnder\"", earlier, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Row\"", earlier, StringComparison.Ordinal);

        api = new CoachingApi(settings);
        var coach = api.As(SessionCoach, ["coach"], ["suggestions.view"]);
        try
        {
            Assert.Empty(await IdsAsync(coach, "/v1/me/coaching-sessions", id));
            var read = await (await SupervisorClient(api).GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
            Assert.Equal("Suggested", read.GetProperty("state").GetString());
            Assert.Equal([id], await IdsAsync(coach, "/v1/me/coaching-sessions", id));
            Assert.Equal([id], await SuggestedByAsync(api, id));
            Assert.Equal(["session-suggested"], await NoticesAsync(api, SessionCoach, id));

            // Its next change is stored in the new shape.
            await (await coach.PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = DateTimeOffset.UtcNow.AddDays(1), durationMinutes = 30 })).Expect(HttpStatusCode.OK);
        }
        finally
        {
            await api.DisposeAsync();
        }

        var upgraded = Encoding.UTF8.GetString(await PayloadAsync(database, "suggested-session", id));
        Assert.DoesNotContain("\"IndexedUnder\"", upgraded, StringComparison.Ordinal);
        Assert.DoesNotContain("\"ListedRevision\"", upgraded, StringComparison.Ordinal);
        Assert.Contains("\"Row\"", upgraded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assessment_a_trainee_decided_but_could_not_create_is_created_by_its_outbox_reminder_after_a_restart()
    {
        var database = await postgres.CreateDatabaseAsync("outbox_trainee_reminder");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-trainee-reminder");
        var id = AssessmentIds.For("COP-O", "evt-o-trainee");

        var api = new CoachingApi(settings);
        try
        {
            var grains = Grains(api);
            await SetUpFloor(grains);
            // While assessments cannot be stored, the decision is stored and the call fails ("unavailable, retry").
            await ExecuteAsync(database,
                "CREATE OR REPLACE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage is down' USING ERRCODE = '40001'; END $$; " +
                "CREATE TRIGGER refuse_assessments BEFORE INSERT OR UPDATE ON orleans_grain_state FOR EACH ROW WHEN (NEW.state_name = 'assessment') EXECUTE FUNCTION refuse_writes()");
            var candidate = new CoachingCandidate("evt-o-trainee", "COP-O", null, PreventDuplicates: false, TimeSpan.Zero, SampledIn: true, NewAssessment("evt-o-trainee"));
            await Assert.ThrowsAnyAsync<Exception>(() => grains.GetGrain<ITraineeGrain>(Trainee).Decide([candidate]));
        }
        finally
        {
            await api.DisposeAsync();
        }

        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM orleans_grain_state WHERE state_name = 'assessment'"));
        await ExecuteAsync(database, "DROP TRIGGER refuse_assessments ON orleans_grain_state");
        api = new CoachingApi(settings);
        try
        {
            // The event is never sent again, and only the trainee's queue is read: only a reminder can finish it.
            var queue = Grains(api).GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfTrainee(Trainee));
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => (await queue.List(new AssessmentFilter([]), 10, null)).Items.Length > 0, TimeSpan.FromSeconds(60)),
                "the decided assessment was not created after the restart");
            Assert.Equal([id], (await queue.List(new AssessmentFilter([]), 10, null)).Items.Select(l => l.Id));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    private static IGrainFactory Grains(CoachingApi api) => api.Services.GetRequiredService<IGrainFactory>();

    private static async Task SetUpFloor(IGrainFactory grains)
    {
        foreach (var user in new[] { Trainee, CoachA, CoachB })
        {
            await grains.GetGrain<IUserGrain>(user).Put(new UserUpdate($"Name of {user}", null, true));
        }

        await grains.GetGrain<IGroupGrain>(CoachGroup).Put("Coaches", [CoachA, CoachB]);
    }

    private static NewAssessment NewAssessment(string eventId) => new(
        "COP-O", 1, Trainee, CoachGroup, new AssessmentSource("incident", "INC-" + eventId, eventId), DateTimeOffset.UtcNow, TimeSpan.FromDays(5),
        CloseOnExpiry: true, CompletionMode.Coach, ImmutableDictionary<string, string?>.Empty, null, [], [], null, null);

    private static async Task SetUpPeople(CoachingApi api)
    {
        var admin = api.Admin();
        foreach (var (user, name) in new[] { (Supervisor, "Sam Super"), (SessionCoach, "Cora Coach"), (Trainee, "Tia Trainee") })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = name })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson("/v1/coaching-areas/empathy", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
    }

    private static async Task<string> SuggestAsync(CoachingApi api)
    {
        var created = await (await SupervisorClient(api).PostJson("/v1/sessions", new
        {
            title = "Empathy on escalations",
            coach = new { type = "user", id = SessionCoach },
            trainees = new object[] { new { type = "user", id = Trainee } },
            coachingArea = "empathy",
            expiresAt = DateTimeOffset.UtcNow.AddDays(30),
        })).Expect(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private static HttpClient SupervisorClient(CoachingApi api) => api.As(Supervisor, ["supervisor"], ["suggestions.create", "suggestions.view"]);

    private static async Task<List<string>> IdsAsync(HttpClient client, string list, string sessionId)
    {
        var page = await (await client.GetAsync(list)).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Where(i => i == sessionId)];
    }

    /// <summary>The ids the supervisor's list shows of this session (so: once, or not at all).</summary>
    private static async Task<List<string>> SuggestedByAsync(CoachingApi api, string sessionId)
    {
        var page = await (await SupervisorClient(api).GetAsync("/v1/me/suggested-sessions")).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Where(i => i == sessionId)];
    }

    private static async Task<string?> SuggestedStateAsync(CoachingApi api, string sessionId)
    {
        var page = await (await SupervisorClient(api).GetAsync("/v1/me/suggested-sessions")).Expect(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("id").GetString() == sessionId)
            .Select(i => i.GetProperty("state").GetString()).SingleOrDefault();
    }

    /// <summary>The types of the user's notifications about the subject, oldest first.</summary>
    private static async Task<List<string>> NoticesAsync(CoachingApi api, string userId, string subjectId)
    {
        var page = await (await api.As(userId, ["coach"]).GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("subject").GetProperty("id").GetString() == subjectId)
            .Reverse()
            .Select(i => i.GetProperty("type").GetString()!)];
    }

    /// <summary>From now on every insert or update of these tables fails, as if that storage were down.</summary>
    private static async Task RefuseWrites(string database, params string[] tables)
    {
        await ExecuteAsync(database,
            "CREATE OR REPLACE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'storage is down' USING ERRCODE = '40001'; END $$");
        foreach (var table in tables)
        {
            await ExecuteAsync(database, $"CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_writes()");
        }
    }

    private static async Task AllowWrites(string database, params string[] tables)
    {
        foreach (var table in tables)
        {
            await ExecuteAsync(database, $"DROP TRIGGER refuse_writes ON {table}");
        }
    }

    private static async Task<byte[]> PayloadAsync(string database, string stateName, string key)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payload FROM orleans_grain_state WHERE state_name = @state AND grain_id_extension = @key", connection);
        command.Parameters.AddWithValue("state", stateName);
        command.Parameters.AddWithValue("key", key);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    private static async Task RestoreAsync(string database, string stateName, string key, byte[] payload)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE orleans_grain_state SET payload = @payload WHERE state_name = @state AND grain_id_extension = @key", connection);
        command.Parameters.AddWithValue("payload", payload);
        command.Parameters.AddWithValue("state", stateName);
        command.Parameters.AddWithValue("key", key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>A crash can come before the outbox reminder is registered: without it, only the activation repairs.</summary>
    private static Task ForgetOutboxRemindersAsync(string database) =>
        ExecuteAsync(database, $"DELETE FROM orleans_reminder WHERE reminder_name = '{OutboxPublisher.ReminderName}'");

    private static Task<long> CountOutboxRemindersAsync(string database) =>
        ScalarAsync(database, $"SELECT count(*) FROM orleans_reminder WHERE reminder_name = '{OutboxPublisher.ReminderName}'");

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(sql, connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static string OutboxOf(byte[] payload)
    {
        using var state = JsonDocument.Parse(payload);
        return state.RootElement.TryGetProperty("Outbox", out var outbox) ? outbox.GetRawText() : "null";
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

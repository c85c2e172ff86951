using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Coaching.Assessments;
using Coaching.Directory;
using Coaching.Inbox;
using Coaching.Moments;
using Coaching.Notifications;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Coaching.Durable.Tests.Assessments;

[Collection(RestartingPostgresCollection.Name)]
public sealed class AssessmentDurabilityTests(PostgresServer postgres)
{
    private const string Trainee = "d-trainee";
    private const string CoachA = "d-coach-a";
    private const string CoachB = "d-coach-b";
    private const string Group = "d-coaches";

    [Fact]
    public async Task An_assessment_due_while_every_silo_was_down_expires_after_the_restart_and_its_state_survives_intact()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_expiry");
        var settings = SiloUnderTest.DurableConfiguration(database, "assessments");

        var first = await SiloUnderTest.StartSiloAsync(settings);
        Assessment beforeExpiring;
        Assessment beforeResolved;
        SurveyRequestPage surveysBefore;
        try
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await SetUpFloor(grains);
            await grains.GetGrain<ISurveyGrain>("d-trainee-survey").Put("Trainee assessment",
                [new SurveyQuestion("skill", "How skilled?", SurveyQuestionType.Rating), new SurveyQuestion("remarks", "Remarks", SurveyQuestionType.Text)]);
            var coach = CoachAssignment.Choose(Trainee, [CoachA, CoachB])!;
            var actor = new AssessmentActor(coach, IsCoach: true);

            // One that will expire while nobody runs: worked on a little first, so its state has some shape.
            var expiring = grains.GetGrain<IAssessmentGrain>(AssessmentIds.For("COP-D", "evt-d-1"));
            var created = await expiring.Create(New("evt-d-1", TimeSpan.FromSeconds(15)));
            Assert.Equal(coach, created.CoachId);
            Assert.Null((await expiring.Start(actor)).Refusal);
            Assert.Null((await expiring.AddNote(actor, "Started before the outage.")).Refusal);
            Assert.Null((await expiring.AddNote(new AssessmentActor(Trainee), "Noted — ünïcode too.")).Refusal);

            // One resolved and surveyed: nothing pending, so it must come back exactly as it was.
            var resolved = grains.GetGrain<IAssessmentGrain>(AssessmentIds.For("COP-D", "evt-d-2"));
            await resolved.Create(New("evt-d-2", TimeSpan.FromDays(5)));
            Assert.Null((await resolved.Start(actor)).Refusal);
            Assert.Null((await resolved.Resolve(actor, new AssessmentResolution("Fine.", AssessmentRating.Good, "Again in May."))).Refusal);
            var request = Assert.Single((await grains.GetGrain<ISurveyRequestsGrain>(coach).List(false, 10, null)).Items).Request;
            var answer = await grains.GetGrain<ISurveyRequestsGrain>(coach).Answer(request.Id,
                ImmutableDictionary<string, SurveyAnswer>.Empty.Add("skill", SurveyAnswer.OfNumber(7)).Add("remarks", SurveyAnswer.OfText("Keen")));
            Assert.Null(answer.Refusal);

            beforeExpiring = (await expiring.Get())!;
            beforeResolved = (await resolved.Get())!;
            Assert.Equal(7, beforeResolved.TraineeRating);
            surveysBefore = await grains.GetGrain<ISurveyRequestsGrain>(coach).List(false, 10, null);
        }
        finally
        {
            await SiloUnderTest.StopAsync(first);
        }

        Assert.True(DateTimeOffset.UtcNow < beforeExpiring.DueAt, "the first silo stopped too late for the test to mean anything");
        Assert.Equal(1L, await CountRemindersAsync(database));
        // Every silo stays down until after the due time: the second one starts with its clock that much later (a
        // shifted clock instead of a wait; it starts for real, on the same database and reminder table).
        var later = new ShiftedClock();
        later.MoveOn(beforeExpiring.DueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2));

        var second = await SiloUnderTest.StartSiloAsync(settings, later.Install);
        try
        {
            var grains = second.Services.GetRequiredService<IGrainFactory>();
            // The trainee's queue is only updated by the assessment itself: seeing it closed there means the reminder
            // fired (nothing else activated the assessment).
            var traineeQueue = grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfTrainee(Trainee));
            var expiredByReminder = await SiloUnderTest.EventuallyAsync(async () =>
                (await traineeQueue.List(new AssessmentFilter([AssessmentState.ClosedComplete]), 10, null)).Items.Length == 1,
                TimeSpan.FromSeconds(60));
            Assert.True(expiredByReminder, "the expiry reminder did not fire after the restart");

            var expired = (await grains.GetGrain<IAssessmentGrain>(beforeExpiring.Id).Get())!;
            Assert.Equal(AssessmentState.ClosedComplete, expired.State);
            Assert.Equal(CloseReason.Expired, expired.CloseReason);
            Assert.True(expired.History[^1].At >= beforeExpiring.DueAt);
            Assert.Equal(("expired", AssessmentHistoryEntry.SystemActor), (expired.History[^1].Action, expired.History[^1].Actor));
            // Everything before the expiry reads back as written, through the JSON the storage keeps.
            Assert.Equal(Json(beforeExpiring.History), Json(expired.History.RemoveAt(expired.History.Count - 1)));
            Assert.Equal(Json(beforeExpiring with { State = expired.State, CloseReason = expired.CloseReason, History = expired.History }), Json(expired));
            Assert.Equal(Json(beforeResolved), Json((await grains.GetGrain<IAssessmentGrain>(beforeResolved.Id).Get())!));
            var coach = beforeResolved.CoachId!;
            Assert.Equal(Json(surveysBefore), Json(await grains.GetGrain<ISurveyRequestsGrain>(coach).List(false, 10, null)));

            var traineeInbox = await grains.GetGrain<INotificationInboxGrain>(Trainee).List(false, 50, null);
            Assert.Single(traineeInbox.Items, n => n.Type == NotificationType.AssessmentExpired && n.Subject.Id == expired.Id);
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => await CountRemindersAsync(database) == 0, TimeSpan.FromSeconds(15)),
                "the one-shot expiry reminder was not unregistered");

            // Reopened after the restart, it registers a new reminder for the new due date.
            Assert.Null((await grains.GetGrain<IAssessmentGrain>(expired.Id).Reopen(new AssessmentActor(Trainee))).Refusal);
            Assert.Equal(1L, await CountRemindersAsync(database));
        }
        finally
        {
            await SiloUnderTest.StopAsync(second);
        }
    }

    [Fact]
    public async Task A_missed_expiry_tick_is_caught_up_when_the_assessment_is_next_activated()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_catch_up");
        var settings = SiloUnderTest.DurableConfiguration(database, "catch-up");

        var first = await SiloUnderTest.StartSiloAsync(settings);
        Assessment created;
        try
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await SetUpFloor(grains);
            created = await grains.GetGrain<IAssessmentGrain>(AssessmentIds.For("COP-D", "evt-d-9")).Create(New("evt-d-9", TimeSpan.FromSeconds(6)));
        }
        finally
        {
            await SiloUnderTest.StopAsync(first);
        }

        // The tick is lost for good (as if the reminder table had been restored from an older backup).
        Assert.Equal(1, await ExecuteAsync(database, "DELETE FROM orleans_reminder"));
        // The silo comes back after the due time (its clock shifted past it, as in the test above).
        var later = new ShiftedClock();
        later.MoveOn(created.DueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));

        var second = await SiloUnderTest.StartSiloAsync(settings, later.Install);
        try
        {
            var grains = second.Services.GetRequiredService<IGrainFactory>();
            var read = (await grains.GetGrain<IAssessmentGrain>(created.Id).Get())!;
            Assert.Equal(AssessmentState.ClosedComplete, read.State);
            Assert.Equal(CloseReason.Expired, read.CloseReason);
            var coachInbox = await grains.GetGrain<INotificationInboxGrain>(created.CoachId!).List(false, 50, null);
            Assert.Single(coachInbox.Items, n => n.Type == NotificationType.AssessmentExpired);
            Assert.Equal(0L, await CountRemindersAsync(database));
        }
        finally
        {
            await SiloUnderTest.StopAsync(second);
        }
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Effects_a_crash_cut_short_are_published_when_the_assessment_next_activates()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_outbox");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox");
        var id = AssessmentIds.For("COP-D", "evt-d-outbox");
        var coach = CoachAssignment.Choose(Trainee, [CoachA, CoachB])!;

        var first = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await SetUpFloor(grains);
            Assert.Equal(coach, (await grains.GetGrain<IAssessmentGrain>(id).Create(New("evt-d-outbox", TimeSpan.FromDays(5)))).CoachId);
        }
        finally
        {
            await SiloUnderTest.StopAsync(first);
        }

        // A graceful stop leaves nothing pending.
        Assert.Equal("null", await StateJsonAsync(database, "assessment", id, "Outbox"));

        // Now make the rows look as a crash right after the transition's write would have left them: the outbox
        // still full, the coach's inbox without the notification.
        await ExecuteAsync(database,
            "UPDATE orleans_grain_state SET payload = convert_to(jsonb_set(convert_from(payload, 'UTF8')::jsonb, '{Outbox}', " +
            "jsonb_build_object('Before', null, 'Events', jsonb_build_array(jsonb_build_object('$event', 'coach-assigned', 'CoachId', @coach, 'PreviousCoachId', null))))::text, 'UTF8') " +
            "WHERE state_name = 'assessment' AND grain_id_extension = @id", ("coach", coach), ("id", id));
        await ExecuteAsync(database, "DELETE FROM coaching_notifications WHERE recipient = @coach", ("coach", coach));

        var second = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            var grains = second.Services.GetRequiredService<IGrainFactory>();
            Assert.NotNull(await grains.GetGrain<IAssessmentGrain>(id).Get());
            var inbox = await grains.GetGrain<INotificationInboxGrain>(coach).List(unreadOnly: false, 10, null);
            var notice = Assert.Single(inbox.Items);
            Assert.Equal(NotificationType.AssessmentAssigned, notice.Type);
            Assert.Equal(id, notice.Subject.Id);
        }
        finally
        {
            await SiloUnderTest.StopAsync(second);
        }

        Assert.Equal("null", await StateJsonAsync(database, "assessment", id, "Outbox"));
    }

    [Fact]
    public async Task While_its_queues_fail_an_assessment_answers_reads_and_commands_and_its_effects_go_out_once_they_recover()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_queues_down");
        var settings = SiloUnderTest.DurableConfiguration(database, "queues-down");
        var id = AssessmentIds.For("COP-D", "evt-d-down");
        var all = new AssessmentFilter([]);
        var silo = await SiloUnderTest.StartSiloAsync(settings);
        string first, second;
        try
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            await SetUpFloor(grains);
            first = (await grains.GetGrain<IAssessmentGrain>(id).Create(New("evt-d-down", TimeSpan.FromDays(5)))).CoachId!;
            second = first == CoachA ? CoachB : CoachA;

            // From now on every write of a queue line fails, as if that storage were down.
            await ExecuteAsync(database,
                "CREATE FUNCTION refuse_lines() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'lines are down' USING ERRCODE = '40001'; END $$; " +
                "CREATE TRIGGER refuse_lines BEFORE INSERT OR UPDATE ON coaching_assessment_lines FOR EACH ROW EXECUTE FUNCTION refuse_lines()");

            // A command is stored and answered; its effects wait in the outbox.
            var change = await grains.GetGrain<IAssessmentGrain>(id).Reassign(new AssessmentActor("an-admin", IsAdmin: true), second);
            Assert.Null(change.Refusal);
            Assert.Equal(second, change.Assessment!.CoachId);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }

        Assert.Contains($"\"{AssessmentQueues.OfCoach(second)}\"", await StateJsonAsync(database, "assessment", id, "Outbox"), StringComparison.Ordinal);

        silo = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            // A fresh activation tries the outbox, fails, and still answers the read.
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            Assert.Equal(second, (await grains.GetGrain<IAssessmentGrain>(id).Get())!.CoachId);
            Assert.Empty((await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(second)).List(all, 10, null)).Items);

            await ExecuteAsync(database, "DROP TRIGGER refuse_lines ON coaching_assessment_lines");

            // Its retry lists it in the new coach's queue and takes it out of the first one's, without any call to it.
            var waited = Stopwatch.StartNew();
            while ((await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(second)).List(all, 10, null)).Items.IsEmpty)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the outbox was not published within 30 s of the queues' recovery");
                await Task.Delay(250);
            }

            Assert.Empty((await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(first)).List(all, 10, null)).Items);
            var notice = Assert.Single((await grains.GetGrain<INotificationInboxGrain>(second).List(unreadOnly: false, 10, null)).Items);
            Assert.Equal((NotificationType.AssessmentAssigned, id), (notice.Type, notice.Subject.Id));
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }

        Assert.Equal("null", await StateJsonAsync(database, "assessment", id, "Outbox"));
    }

    [Fact]
    public async Task A_row_with_notes_at_the_bound_stays_under_a_megabyte_and_a_note_adds_about_its_own_size()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_size");
        var settings = SiloUnderTest.DurableConfiguration(database, "size");
        var silo = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            await SetUpFloor(grains);
            var trainee = new AssessmentActor(Trainee);
            var id = AssessmentIds.For("COP-D", "evt-d-size");
            var grain = grains.GetGrain<IAssessmentGrain>(id);
            await grain.Create(New("evt-d-size", TimeSpan.FromDays(5)));
            var created = await RowBytesAsync(database, id);

            // "é" is what JSON escapes most (six bytes for one character): the worst case of the bound.
            var longest = new string('é', AssessmentLifecycle.MaxTextLength);
            Assert.Null((await grain.AddNote(trainee, longest)).Refusal);
            var oneNote = await RowBytesAsync(database, id);
            Assert.Null((await grain.AddNote(trainee, longest)).Refusal);
            var twoNotes = await RowBytesAsync(database, id);
            var escapedNote = JsonSerializer.Serialize(longest).Length;
            // A note adds itself once: not a second copy in the outbox, nor a copy of the whole assessment. (The first
            // one a little less: creation's outbox, which it replaces, held a notice and the stats reports.)
            Assert.InRange(oneNote - created, escapedNote - 1_000, escapedNote + 200);
            Assert.InRange(twoNotes - oneNote, escapedNote, escapedNote + 200);

            AssessmentChange last;
            do
            {
                last = await grain.AddNote(trainee, longest);
            }
            while (last.Refusal is null);

            Assert.Equal(Refusal.Codes.NotesLimit, last.Refusal.Code);
            var rest = AssessmentLifecycle.MaxNotesTextLength - last.Assessment!.Notes.Sum(n => n.Text.Length);
            Assert.Null((await grain.AddNote(trainee, new string('é', rest))).Refusal);
            Assert.Equal(Refusal.Codes.NotesLimit, (await grain.AddNote(trainee, "é")).Refusal?.Code);

            var atBound = await RowBytesAsync(database, id);
            Assert.InRange(atBound, AssessmentLifecycle.MaxNotesTextLength, 1_000_000);
            await AssertOutboxHoldsEffectsOnly(database, id);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Fact]
    public async Task A_row_whose_outbox_holds_the_previous_assessment_loads_and_publishes_its_effects()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_outbox_upgrade");
        var settings = SiloUnderTest.DurableConfiguration(database, "outbox-upgrade");
        var id = AssessmentIds.For("COP-D", "evt-d-upgrade");
        var first = CoachAssignment.Choose(Trainee, [CoachA, CoachB])!;
        var second = first == CoachA ? CoachB : CoachA;

        var silo = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            await SetUpFloor(grains);
            await grains.GetGrain<IAssessmentGrain>(id).Create(New("evt-d-upgrade", TimeSpan.FromDays(5)));
            Assert.Null((await grains.GetGrain<IAssessmentGrain>(id).AddNote(new AssessmentActor(Trainee), "Kept through the upgrade.")).Refusal);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }

        // As the earlier version left a reassignment a crash cut short: the assessment handed to the second coach, its
        // outbox holding the whole assessment before that (first coach) and the event; queues and inboxes not told yet.
        await ExecuteAsync(database,
            "UPDATE orleans_grain_state SET payload = convert_to((" +
            "  WITH s AS (SELECT convert_from(payload, 'UTF8')::jsonb AS p)" +
            "  SELECT jsonb_set(jsonb_set(jsonb_set(p, '{Outbox}', jsonb_build_object('Before', p -> 'Assessment', 'Events'," +
            "           jsonb_build_array(jsonb_build_object('$event', 'coach-assigned', 'CoachId', @second, 'PreviousCoachId', @first))))," +
            "         '{Assessment,CoachId}', to_jsonb(@second::text))," +
            "         '{Assessment,History}', (p #> '{Assessment,History}') || jsonb_build_array((p #> '{Assessment,History}' -> -1) || jsonb_build_object('Actor', @second, 'Action', 'reassigned')))" +
            "  FROM s)::text, 'UTF8') " +
            "WHERE state_name = 'assessment' AND grain_id_extension = @id", ("first", first), ("second", second), ("id", id));
        Assert.Contains("\"Before\"", await StateJsonAsync(database, "assessment", id, "Outbox"), StringComparison.Ordinal);

        silo = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            var read = (await grains.GetGrain<IAssessmentGrain>(id).Get())!;
            Assert.Equal(second, read.CoachId);
            Assert.Equal("Kept through the upgrade.", Assert.Single(read.Notes).Text);
            var all = new AssessmentFilter([]);
            Assert.Equal([id], (await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(second)).List(all, 10, null)).Items.Select(l => l.Id));
            Assert.Empty((await grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfCoach(first)).List(all, 10, null)).Items);
            var notice = Assert.Single((await grains.GetGrain<INotificationInboxGrain>(second).List(unreadOnly: false, 10, null)).Items);
            Assert.Equal((NotificationType.AssessmentAssigned, id), (notice.Type, notice.Subject.Id));

            // The next change writes the new shape: no copy of the assessment beside it.
            Assert.Null((await grains.GetGrain<IAssessmentGrain>(id).Start(new AssessmentActor(second, IsCoach: true))).Refusal);
            await AssertOutboxHoldsEffectsOnly(database, id);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    private static async Task SetUpFloor(IGrainFactory grains)
    {
        foreach (var user in new[] { Trainee, CoachA, CoachB })
        {
            await grains.GetGrain<IUserGrain>(user).Put(new UserUpdate($"Name of {user}", null, true));
        }

        await grains.GetGrain<IGroupGrain>(Group).Put("Coaches", [CoachA, CoachB]);
    }

    /// <summary>The outbox a transition stores: its effects, a few hundred bytes, and no assessment in it.</summary>
    private static async Task AssertOutboxHoldsEffectsOnly(string database, string id)
    {
        var outbox = await StateJsonAsync(database, "assessment", id, "Outbox");
        Assert.Contains("\"Line\"", outbox, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Before\"", outbox, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Notes\"", outbox, StringComparison.Ordinal);
        Assert.InRange(outbox.Length, 1, 2_000);
    }

    private static async Task<int> RowBytesAsync(string connectionString, string id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT octet_length(payload) FROM orleans_grain_state WHERE state_name = 'assessment' AND grain_id_extension = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<string> StateJsonAsync(string connectionString, string stateName, string key, string property)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce((convert_from(payload, 'UTF8')::jsonb -> @property)::text, 'null') FROM orleans_grain_state WHERE state_name = @state AND grain_id_extension = @key",
            connection);
        command.Parameters.AddWithValue("property", property);
        command.Parameters.AddWithValue("state", stateName);
        command.Parameters.AddWithValue("key", key);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static NewAssessment New(string eventId, TimeSpan duration) => new(
        "COP-D", 3, Trainee, Group, new AssessmentSource("incident", "INC-" + eventId, eventId), DateTimeOffset.UtcNow, duration,
        CloseOnExpiry: true, CompletionMode.Coach, ImmutableDictionary<string, string?>.Empty.Add("work_notes", "line 1\nline 2"), null,
        [], [new RecommendedLearning("Basics", "https://learn.example/b")], "d-trainee-survey", null);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static async Task<long> CountRemindersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_reminder", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

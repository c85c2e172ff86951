using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Coaching.Testing;
using static Coaching.Api.Tests.Sessions.SessionWorld;

namespace Coaching.Api.Tests.Sessions;

/// <summary>Every transition over HTTP, and every notification text word for word in the right inboxes.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionLifecycleTests(SharedApi api)
{
    private const string Suggested = "session-suggested: Sam Super suggested a coaching session.";
    private const string DeletedText = "session-canceled-by-supervisor: Suggested Coaching Session has been canceled.";
    private const string ExpiredText = "session-expired: Coaching Session has been canceled because the suggested coaching session was not scheduled and has expired.";

    private static DateTimeOffset Tomorrow => DateTimeOffset.UtcNow.AddDays(1);

    [Fact]
    public async Task Suggesting_to_a_coach_group_notifies_each_member_and_nobody_else()
    {
        var w = await SessionWorld.CreateAsync(api);
        var session = await w.SuggestAsync(w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Team)]));
        var id = session.GetProperty("id").GetString()!;

        Assert.StartsWith("SES", id, StringComparison.Ordinal);
        Assert.Equal("Suggested", session.GetProperty("state").GetString());
        Assert.Equal(w.Sup, session.GetProperty("suggestedBy").GetString());
        Assert.Equal([w.T1, w.T2], session.GetProperty("traineeUsers").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("group", session.GetProperty("coach").GetProperty("type").GetString());
        Assert.Equal([Suggested], await w.NoticesAsync(w.Coach, id));
        Assert.Equal([Suggested], await w.NoticesAsync(w.Coach2, id));
        Assert.Empty(await w.NoticesAsync(w.Sup, id));
        Assert.Empty(await w.NoticesAsync(w.T1, id));
    }

    [Fact]
    public async Task The_supervisor_deletes_it_the_coach_is_told_and_nothing_more_can_happen_to_it()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        // Another supervisor sees it (supervisors see every session, SPEC B) but may not delete it.
        await (await w.Supervisor(w.Id("other-sup")).DeleteAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.Forbidden, "forbidden");

        await (await w.Supervisor().DeleteAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.NoContent);

        var session = await (await w.Supervisor().GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", session.GetProperty("state").GetString());
        Assert.Equal("supervisor", session.GetProperty("canceledBy").GetString());
        Assert.Equal(["suggested", "deleted"], session.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.Equal([Suggested, DeletedText], await w.NoticesAsync(w.Coach, id));
        Assert.Empty(await w.NoticesAsync(w.T1, id));

        await (await w.Supervisor().DeleteAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await w.Supervisor().PatchAsync($"/v1/sessions/{id}", JsonContent.Create(new { title = "Again" }))).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await w.CoachClient().PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = Tomorrow, durationMinutes = 30 })).Expect(HttpStatusCode.Conflict, "invalid-state");
    }

    [Fact]
    public async Task The_coach_declines_with_a_reason_and_the_supervisor_is_told_why()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        await (await w.CoachClient().PostJson($"/v1/sessions/{id}/decline", new { reason = " " })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        // A user who is neither its coach nor a trainee cannot see it, let alone decline it.
        await (await w.CoachClient(w.Coach2).PostJson($"/v1/sessions/{id}/decline", new { reason = "busy" })).Expect(HttpStatusCode.NotFound);

        var session = await (await w.CoachClient().PostJson($"/v1/sessions/{id}/decline", new { reason = "a conflicting training" })).Expect(HttpStatusCode.OK);

        Assert.Equal("Canceled", session.GetProperty("state").GetString());
        Assert.Equal("coach", session.GetProperty("canceledBy").GetString());
        Assert.Equal("a conflicting training", session.GetProperty("cancelReason").GetString());
        Assert.Equal(
            ["session-canceled-by-coach: Coaching Session has been canceled as Cora Coach has declined the suggested session because of a conflicting training."],
            await w.NoticesAsync(w.Sup, id));
        Assert.Equal([Suggested], await w.NoticesAsync(w.Coach, id));
        await (await w.CoachClient().PostJson($"/v1/sessions/{id}/decline", new { reason = "again" })).Expect(HttpStatusCode.Conflict, "invalid-state");
    }

    [Fact]
    public async Task A_trainee_declines_and_the_supervisor_and_every_coach_are_told()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = (await w.SuggestAsync(w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Team)]))).GetProperty("id").GetString()!;

        var session = await (await w.Agent(w.T2).PostJson($"/v1/sessions/{id}/decline", new { reason = "my leave starts tomorrow" })).Expect(HttpStatusCode.OK);

        Assert.Equal("trainee", session.GetProperty("canceledBy").GetString());
        const string text = "session-canceled-by-trainee: Coaching Session has been canceled as Tom Trainee has declined the suggested session because of my leave starts tomorrow.";
        Assert.Equal([text], await w.NoticesAsync(w.Sup, id));
        Assert.Equal([Suggested, text], await w.NoticesAsync(w.Coach, id));
        Assert.Equal([Suggested, text], await w.NoticesAsync(w.Coach2, id));
        Assert.Empty(await w.NoticesAsync(w.T1, id));
    }

    [Fact]
    public async Task A_coach_group_member_schedules_then_completes_and_supervisor_and_trainees_are_told()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = (await w.SuggestAsync(w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Team)]))).GetProperty("id").GetString()!;
        var coach2 = w.CoachClient(w.Coach2);
        await (await coach2.PostJson($"/v1/sessions/{id}/complete", new { notes = "too early" })).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await coach2.PostJson($"/v1/sessions/{id}/schedule", new { durationMinutes = 30 })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        // The trainee cannot schedule: only its coach can.
        await (await w.Agent(w.T1).PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = Tomorrow, durationMinutes = 30 })).Expect(HttpStatusCode.Forbidden);

        var at = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(9), TimeSpan.Zero);
        var scheduled = await (await coach2.PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = at, durationMinutes = 45, title = "Empathy, one to one" })).Expect(HttpStatusCode.OK);

        Assert.Equal("Scheduled", scheduled.GetProperty("state").GetString());
        Assert.Equal(at, scheduled.GetProperty("scheduledAt").GetDateTimeOffset());
        Assert.Equal(45, scheduled.GetProperty("durationMinutes").GetInt32());
        Assert.Equal("Empathy, one to one", scheduled.GetProperty("title").GetString());
        const string text = "session-scheduled: Carl Coach has scheduled a session based on your suggestion.";
        Assert.Equal([text], await w.NoticesAsync(w.Sup, id));
        Assert.Equal([text], await w.NoticesAsync(w.T1, id));
        Assert.Equal([text], await w.NoticesAsync(w.T2, id));
        Assert.Equal([Suggested], await w.NoticesAsync(w.Coach, id));
        await (await w.Agent(w.T1).PostJson($"/v1/sessions/{id}/decline", new { reason = "late" })).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await w.Supervisor().DeleteAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.Conflict, "invalid-state");

        await (await w.CoachClient().PostJson($"/v1/sessions/{id}/complete", new { notes = "" })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        var completed = await (await w.CoachClient().PostJson($"/v1/sessions/{id}/complete", new { notes = "Went through three calls." })).Expect(HttpStatusCode.OK);
        Assert.Equal("Completed", completed.GetProperty("state").GetString());
        Assert.Equal("Went through three calls.", completed.GetProperty("notes").GetString());
        Assert.Equal(["suggested", "scheduled", "completed"], completed.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        await (await w.CoachClient().PostJson($"/v1/sessions/{id}/complete", new { notes = "twice" })).Expect(HttpStatusCode.Conflict, "invalid-state");
    }

    [Fact]
    public async Task The_supervisor_edits_while_Suggested_and_a_new_coach_is_told()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        await (await w.Supervisor(w.Id("other-sup")).PatchAsync($"/v1/sessions/{id}", JsonContent.Create(new { title = "Mine" }))).Expect(HttpStatusCode.Forbidden, "forbidden");

        var edited = await (await w.Supervisor().PatchAsync($"/v1/sessions/{id}", JsonContent.Create(
            new { title = "Empathy, revisited", coach = User(w.Coach2), trainees = new[] { Group(w.Team) }, referenceCases = new[] { w.Id("CASE-10") } }))).Expect(HttpStatusCode.OK);

        Assert.Equal("Suggested", edited.GetProperty("state").GetString());
        Assert.Equal("Empathy, revisited", edited.GetProperty("title").GetString());
        Assert.Equal([w.T1, w.T2], edited.GetProperty("traineeUsers").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal([Suggested], await w.NoticesAsync(w.Coach2, id));
        Assert.Equal([Suggested], await w.NoticesAsync(w.Coach, id));
        // The views follow the edit: the old coach and the old case no longer list it.
        Assert.DoesNotContain(id, await IdsAsync(w.CoachClient(), "/v1/me/coaching-sessions"));
        Assert.Contains(id, await IdsAsync(w.CoachClient(w.Coach2), "/v1/me/coaching-sessions"));
        Assert.DoesNotContain(id, await IdsAsync(w.Supervisor(), $"/v1/cases/{w.Id("CASE-9")}/sessions"));
        Assert.Contains(id, await IdsAsync(w.Supervisor(), $"/v1/cases/{w.Id("CASE-10")}/sessions"));
        Assert.Contains(id, await IdsAsync(w.Supervisor(), $"/v1/agents/{w.T2}/sessions"));
    }

    [Fact]
    public async Task It_expires_on_its_reminder_and_supervisor_and_coach_are_told()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync(w.Draft(coach: Group(w.Coaches), expiresAt: DateTimeOffset.UtcNow.AddSeconds(3)));

        // Nobody reads the session in between: only the reminder can expire it.
        var expired = await SiloUnderTest.EventuallyAsync(async () => (await w.NoticesAsync(w.Sup, id)).Count > 0, TimeSpan.FromSeconds(30));

        Assert.True(expired, "the expiry reminder did not fire");
        Assert.Equal([ExpiredText], await w.NoticesAsync(w.Sup, id));
        Assert.Equal([Suggested, ExpiredText], await w.NoticesAsync(w.Coach, id));
        Assert.Equal([Suggested, ExpiredText], await w.NoticesAsync(w.Coach2, id));
        Assert.Empty(await w.NoticesAsync(w.T1, id));
        var session = await (await w.Supervisor().GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", session.GetProperty("state").GetString());
        Assert.Equal("expired", session.GetProperty("canceledBy").GetString());
        await (await w.CoachClient().PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = Tomorrow, durationMinutes = 30 })).Expect(HttpStatusCode.Conflict, "invalid-state");
    }

    [Fact]
    public async Task An_edited_expiry_moves_the_reminder()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        await (await w.Supervisor().PatchAsync($"/v1/sessions/{id}", JsonContent.Create(new { expiresAt = DateTimeOffset.UtcNow.AddSeconds(3) }))).Expect(HttpStatusCode.OK);

        var expired = await SiloUnderTest.EventuallyAsync(async () => (await w.NoticesAsync(w.Sup, id)).Count > 0, TimeSpan.FromSeconds(30));

        Assert.True(expired, "the session did not expire at its edited expiry");
        Assert.Equal([ExpiredText], await w.NoticesAsync(w.Sup, id));
        Assert.Equal([Suggested, ExpiredText], await w.NoticesAsync(w.Coach, id));
        Assert.Equal(["suggested", "edited", "expired"], (await (await w.Supervisor().GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK))
            .GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task The_suggestion_reaches_the_coach_on_the_live_stream()
    {
        var w = await SessionWorld.CreateAsync(api);
        using var response = await w.CoachClient().GetAsync("/v1/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var firstData = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                }
            }

            throw new InvalidOperationException("the stream ended");
        });

        // The subscription is made just after the stream starts: keep suggesting until one arrives.
        var suggested = new List<string>();
        for (var i = 0; i < 20 && !firstData.IsCompleted; i++)
        {
            suggested.Add(await w.SuggestIdAsync());
            await Task.WhenAny(firstData, Task.Delay(250));
        }

        var data = await firstData.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("session-suggested", data.GetProperty("type").GetString());
        Assert.Equal("Sam Super suggested a coaching session.", data.GetProperty("text").GetString());
        Assert.Contains(data.GetProperty("subject").GetProperty("id").GetString(), suggested);
    }
}

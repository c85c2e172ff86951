using System.Net;
using Coaching.Inbox;
using Coaching.Notifications;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Coaching.Api.Tests.Sessions.SessionWorld;

namespace Coaching.Api.Tests.Sessions;

/// <summary>SPEC B "Who sees what": the four views, the suggestions.view switch, and what an agent never sees.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionVisibilityTests(SharedApi api)
{
    private static DateTimeOffset Tomorrow => DateTimeOffset.UtcNow.AddDays(1);

    [Fact]
    public async Task Supervisor_home_lists_the_sessions_I_suggested_newest_first_in_pages()
    {
        var w = await SessionWorld.CreateAsync(api);
        await w.UserAsync("sup2", "Sue Super");
        var first = await w.SuggestIdAsync();
        var second = await w.SuggestIdAsync(w.Draft(trainees: [User(w.T2)]));
        var theirs = (await w.SuggestAsync(supervisor: w.Supervisor(w.Id("sup2")))).GetProperty("id").GetString()!;

        Assert.Equal([second, first], await IdsAsync(w.Supervisor(), "/v1/me/suggested-sessions"));
        Assert.Equal([theirs], await IdsAsync(w.Supervisor(w.Id("sup2")), "/v1/me/suggested-sessions"));

        var page1 = await (await w.Supervisor().GetAsync("/v1/me/suggested-sessions?limit=1")).Expect(HttpStatusCode.OK);
        Assert.Equal([second], page1.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var cursor = page1.GetProperty("nextCursor").GetString();
        var page2 = await (await w.Supervisor().GetAsync($"/v1/me/suggested-sessions?limit=1&cursor={Uri.EscapeDataString(cursor!)}")).Expect(HttpStatusCode.OK);
        Assert.Equal([first], page2.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        await (await w.Supervisor().GetAsync("/v1/me/suggested-sessions?limit=0")).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await w.Supervisor().GetAsync("/v1/me/suggested-sessions?cursor=nonsense")).Expect(HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task Coach_home_lists_sessions_suggested_to_me_or_to_my_group()
    {
        var w = await SessionWorld.CreateAsync(api);
        var toMe = await w.SuggestIdAsync();
        var toGroup = await w.SuggestIdAsync(w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Team)]));

        Assert.Equal([toGroup, toMe], await IdsAsync(w.CoachClient(), "/v1/me/coaching-sessions"));
        Assert.Equal([toGroup], await IdsAsync(w.CoachClient(w.Coach2), "/v1/me/coaching-sessions"));
        Assert.Empty(await IdsAsync(w.Agent(w.T1), "/v1/me/coaching-sessions"));
        // The group member may read and act on it; a coach outside the session may not even read it.
        await (await w.CoachClient(w.Coach2).GetAsync($"/v1/sessions/{toGroup}")).Expect(HttpStatusCode.OK);
        await (await w.CoachClient(w.Coach2).GetAsync($"/v1/sessions/{toMe}")).Expect(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Agent_page_lists_sessions_where_the_agent_is_a_trainee_directly_or_through_a_group()
    {
        var w = await SessionWorld.CreateAsync(api);
        var direct = await w.SuggestIdAsync(w.Draft(trainees: [User(w.T1)]));
        var throughTeam = await w.SuggestIdAsync(w.Draft(trainees: [Group(w.Team)]));

        Assert.Equal([throughTeam, direct], await IdsAsync(w.Supervisor(), $"/v1/agents/{w.T1}/sessions"));
        // A coach sees there the sessions it coaches, and no other (GET of those answers 404 to it).
        Assert.Equal([throughTeam], await IdsAsync(w.CoachClient(), $"/v1/agents/{w.T2}/sessions"));
        Assert.Empty(await IdsAsync(w.CoachClient(w.Coach2), $"/v1/agents/{w.T2}/sessions"));
        // The agent reads its own page, never another's.
        Assert.Equal([throughTeam], await IdsAsync(w.Agent(w.T2), $"/v1/agents/{w.T2}/sessions"));
        await (await w.Agent(w.T2).GetAsync($"/v1/agents/{w.T1}/sessions")).Expect(HttpStatusCode.NotFound);
        // Expanded when suggested: someone who joins the team later is not a trainee of it.
        await w.UserAsync("t3", "Tina Trainee");
        await w.GroupAsync("team", "t1", "t2", "t3");
        Assert.Empty(await IdsAsync(w.Supervisor(), $"/v1/agents/{w.Id("t3")}/sessions"));
    }

    [Fact]
    public async Task Case_page_lists_sessions_that_reference_the_case()
    {
        var w = await SessionWorld.CreateAsync(api);
        var caseA = w.Id("CASE-A");
        var both = await w.SuggestIdAsync(w.Draft(cases: [caseA, w.Id("CASE-B")]));
        var onlyB = await w.SuggestIdAsync(w.Draft(cases: [w.Id("CASE-B")]));
        await w.SuggestIdAsync(w.Draft(cases: []));

        Assert.Equal([both], await IdsAsync(w.Supervisor(), $"/v1/cases/{caseA}/sessions"));
        Assert.Equal([onlyB, both], await IdsAsync(w.CoachClient(), $"/v1/cases/{w.Id("CASE-B")}/sessions"));
        Assert.Empty(await IdsAsync(w.Supervisor(), $"/v1/cases/{w.Id("CASE-C")}/sessions"));
        // An agent on a case page sees only its own sessions.
        Assert.Equal([both], await IdsAsync(w.Agent(w.T1), $"/v1/cases/{caseA}/sessions"));
        Assert.Empty(await IdsAsync(w.Agent(w.T2), $"/v1/cases/{caseA}/sessions"));
    }

    [Fact]
    public async Task Without_suggestions_view_no_Suggested_session_is_shown_anywhere()
    {
        var w = await SessionWorld.CreateAsync(api);
        var caseId = w.Id("CASE-9");
        var suggested = await w.SuggestIdAsync();
        var scheduled = await w.SuggestIdAsync();
        await (await w.CoachClient().PostJson($"/v1/sessions/{scheduled}/schedule", new { scheduledAt = Tomorrow, durationMinutes = 30 })).Expect(HttpStatusCode.OK);

        var blindSupervisor = w.Supervisor(w.Sup, "suggestions.create");
        var blindCoach = w.CoachClient(view: false);
        var blindAgent = w.Agent(w.T1, view: false);
        Assert.Equal([scheduled], await IdsAsync(blindSupervisor, "/v1/me/suggested-sessions"));
        Assert.Equal([scheduled], await IdsAsync(blindCoach, "/v1/me/coaching-sessions"));
        Assert.Equal([scheduled], await IdsAsync(blindAgent, $"/v1/agents/{w.T1}/sessions"));
        Assert.Equal([scheduled], await IdsAsync(blindCoach, $"/v1/cases/{caseId}/sessions"));
        Assert.Equal([scheduled], await IdsAsync(api.As(w.Id("admin"), ["coaching.admin"]), $"/v1/cases/{caseId}/sessions"));
        await (await blindCoach.GetAsync($"/v1/sessions/{suggested}")).Expect(HttpStatusCode.NotFound);
        await (await blindCoach.GetAsync($"/v1/sessions/{scheduled}")).Expect(HttpStatusCode.OK);

        // The same callers with the permission see both.
        Assert.Equal([scheduled, suggested], await IdsAsync(w.Supervisor(), "/v1/me/suggested-sessions"));
        Assert.Equal([scheduled, suggested], await IdsAsync(w.CoachClient(), "/v1/me/coaching-sessions"));
        Assert.Equal([scheduled, suggested], await IdsAsync(w.Agent(w.T1), $"/v1/agents/{w.T1}/sessions"));
        Assert.Equal([scheduled, suggested], await IdsAsync(w.CoachClient(), $"/v1/cases/{caseId}/sessions"));
    }

    [Fact]
    public async Task An_agent_never_sees_a_session_canceled_before_it_was_scheduled()
    {
        var w = await SessionWorld.CreateAsync(api);
        var deleted = await w.SuggestIdAsync();
        var declined = await w.SuggestIdAsync();
        var done = await w.SuggestIdAsync();
        await (await w.Supervisor().DeleteAsync($"/v1/sessions/{deleted}")).Expect(HttpStatusCode.NoContent);
        await (await w.CoachClient().PostJson($"/v1/sessions/{declined}/decline", new { reason = "no time" })).Expect(HttpStatusCode.OK);
        await (await w.CoachClient().PostJson($"/v1/sessions/{done}/schedule", new { scheduledAt = Tomorrow, durationMinutes = 30 })).Expect(HttpStatusCode.OK);
        await (await w.CoachClient().PostJson($"/v1/sessions/{done}/complete", new { notes = "Good talk." })).Expect(HttpStatusCode.OK);

        Assert.Equal([done], await IdsAsync(w.Agent(w.T1), $"/v1/agents/{w.T1}/sessions"));
        Assert.Equal([done], await IdsAsync(w.Agent(w.T1), $"/v1/cases/{w.Id("CASE-9")}/sessions"));
        await (await w.Agent(w.T1).GetAsync($"/v1/sessions/{deleted}")).Expect(HttpStatusCode.NotFound);
        await (await w.Agent(w.T1).GetAsync($"/v1/sessions/{declined}")).Expect(HttpStatusCode.NotFound);
        await (await w.Agent(w.T1).GetAsync($"/v1/sessions/{done}")).Expect(HttpStatusCode.OK);
        // Supervisors and coaches looking at the agent's page still see them.
        Assert.Equal([done, declined, deleted], await IdsAsync(w.Supervisor(), $"/v1/agents/{w.T1}/sessions"));
        Assert.Equal([done, declined, deleted], await IdsAsync(w.CoachClient(), $"/v1/agents/{w.T1}/sessions"));
    }

    [Fact]
    public async Task The_supervisor_deleted_while_Suggested_changes_nothing_and_the_coach_can_still_schedule()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        var before = await (await w.CoachClient().GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);

        await w.DeleteUserAsync(w.Sup);

        var after = await (await w.CoachClient().GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Contains(id, await IdsAsync(w.CoachClient(), "/v1/me/coaching-sessions"));
        // The deleted supervisor's own token acts as nobody now (SPEC F).
        await (await w.Supervisor().GetAsync("/v1/me/suggested-sessions")).Expect(HttpStatusCode.Forbidden, "forbidden");

        var scheduled = await (await w.CoachClient().PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = Tomorrow, durationMinutes = 60 })).Expect(HttpStatusCode.OK);
        Assert.Equal("Scheduled", scheduled.GetProperty("state").GetString());
        Assert.Equal(w.Sup, scheduled.GetProperty("suggestedBy").GetString());
        // Deleting a user loses nothing that refers to it: the supervisor's inbox still gets the news.
        var inbox = await api.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(w.Sup).List(false, 200, null);
        Assert.Equal([(NotificationType.SessionScheduled, "Cora Coach has scheduled a session based on your suggestion.")],
            inbox.Items.Where(n => n.Subject.Id == id).Select(n => (n.Type, n.Text)));
    }
}

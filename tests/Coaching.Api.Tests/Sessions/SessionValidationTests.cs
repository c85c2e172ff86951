using System.Net;
using Coaching.Testing;
using static Coaching.Api.Tests.Sessions.SessionWorld;

namespace Coaching.Api.Tests.Sessions;

/// <summary>SPEC B "Validation" over HTTP: each rule, one request that trips it and one that just passes it.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionValidationTests(SharedApi api)
{
    private static async Task Refused(HttpResponseMessage response, string code) =>
        await response.Expect(HttpStatusCode.UnprocessableEntity, code);

    [Fact]
    public async Task The_supervisor_named_as_coach_or_trainee_is_refused_but_a_team_that_includes_them_is_not()
    {
        var w = await SessionWorld.CreateAsync(api);
        var sup = w.Supervisor();
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(coach: User(w.Sup))), "supervisor-as-participant");
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(trainees: [User(w.T1), User(w.Sup)])), "supervisor-as-participant");

        // Just passes: the supervisor is in the trainee group, with someone else; only the others are coached.
        await w.GroupAsync("team-with-sup", "sup", "t1");
        var session = await w.SuggestAsync(w.Draft(trainees: [Group(w.Id("team-with-sup"))]));
        Assert.Equal([w.T1], session.GetProperty("traineeUsers").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task The_same_user_or_group_on_both_sides_or_through_a_group_is_an_overlap()
    {
        var w = await SessionWorld.CreateAsync(api);
        var sup = w.Supervisor();
        await w.GroupAsync("coach-and-t2", "coach", "t2");
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(trainees: [User(w.Coach)])), "coach-trainee-overlap");
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Coaches)])), "coach-trainee-overlap");
        // The coach user is a member of a trainee group.
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(trainees: [Group(w.Id("coach-and-t2"))])), "coach-trainee-overlap");
        // The reverse: a trainee user is a member of the coach group.
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(coach: Group(w.Coaches), trainees: [User(w.Coach2)])), "coach-trainee-overlap");

        // Just passes: a coach group and a trainee group with no member in common.
        await w.SuggestAsync(w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Team)]));
    }

    [Fact]
    public async Task A_coach_group_whose_only_member_is_the_supervisor_is_refused()
    {
        var w = await SessionWorld.CreateAsync(api);
        await w.GroupAsync("sup-only", "sup");
        await w.GroupAsync("sup-and-coach", "sup", "coach");
        await Refused(await w.Supervisor().PostJson("/v1/sessions", w.Draft(coach: Group(w.Id("sup-only")))), "supervisor-only-coach-member");

        var session = await w.SuggestAsync(w.Draft(coach: Group(w.Id("sup-and-coach"))));
        Assert.Equal([w.Coach], session.GetProperty("coachUsers").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task A_trainee_group_whose_only_member_is_the_supervisor_is_refused()
    {
        var w = await SessionWorld.CreateAsync(api);
        await w.GroupAsync("sup-only", "sup");
        await w.GroupAsync("sup-and-t2", "sup", "t2");
        await Refused(await w.Supervisor().PostJson("/v1/sessions", w.Draft(trainees: [Group(w.Id("sup-only"))])), "supervisor-only-trainee-member");

        await w.SuggestAsync(w.Draft(trainees: [Group(w.Id("sup-and-t2"))]));
    }

    [Fact]
    public async Task The_coach_cannot_select_the_supervisor_when_scheduling()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        var coach = w.CoachClient();
        var at = DateTimeOffset.UtcNow.AddDays(2);
        await Refused(await coach.PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = at, durationMinutes = 30, trainees = new[] { User(w.Sup) } }), "coach-selected-supervisor");
        // The rules run again on the coach's form: an overlap the coach introduces is refused too.
        await Refused(await coach.PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = at, durationMinutes = 30, trainees = new[] { User(w.Coach) } }), "coach-trainee-overlap");
        var unchanged = await (await coach.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Suggested", unchanged.GetProperty("state").GetString());

        var scheduled = await (await coach.PostJson($"/v1/sessions/{id}/schedule", new { scheduledAt = at, durationMinutes = 30, trainees = new[] { User(w.T2) } })).Expect(HttpStatusCode.OK);
        Assert.Equal("Scheduled", scheduled.GetProperty("state").GetString());
        Assert.Equal([w.T2], scheduled.GetProperty("traineeUsers").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Unknown_or_deleted_users_are_refused()
    {
        var w = await SessionWorld.CreateAsync(api);
        await w.UserAsync("gone", "Gone User");
        await w.DeleteUserAsync(w.Id("gone"));
        var sup = w.Supervisor();
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(trainees: [User(w.Id("nobody"))])), "unknown-user");
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(trainees: [User(w.Id("gone"))])), "unknown-user");
        await Refused(await sup.PostJson("/v1/sessions", w.Draft(coach: User(w.Id("gone")))), "unknown-user");

        await w.SuggestAsync(w.Draft(trainees: [User(w.T2)]));
    }

    [Fact]
    public async Task Unknown_groups_are_refused()
    {
        var w = await SessionWorld.CreateAsync(api);
        await Refused(await w.Supervisor().PostJson("/v1/sessions", w.Draft(trainees: [Group(w.Id("no-such-team"))])), "unknown-group");
        await Refused(await w.Supervisor().PostJson("/v1/sessions", w.Draft(coach: Group(w.Id("no-such-coaches")))), "unknown-group");

        await w.SuggestAsync(w.Draft(trainees: [Group(w.Team)]));
    }

    [Fact]
    public async Task Unknown_coaching_areas_are_refused()
    {
        var w = await SessionWorld.CreateAsync(api);
        var draft = w.Draft();
        draft["coachingArea"] = w.Id("no-such-area");
        await Refused(await w.Supervisor().PostJson("/v1/sessions", draft), "unknown-coaching-area");

        var session = await w.SuggestAsync();
        Assert.Equal(w.Area, session.GetProperty("coachingArea").GetString());
    }

    [Fact]
    public async Task A_past_expiry_is_refused_and_a_missing_one_defaults_to_three_months()
    {
        var w = await SessionWorld.CreateAsync(api);
        await Refused(await w.Supervisor().PostJson("/v1/sessions", w.Draft(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1))), "expiry-in-past");

        var soon = DateTimeOffset.UtcNow.AddMinutes(2);
        var session = await w.SuggestAsync(w.Draft(expiresAt: soon));
        Assert.Equal(soon.ToUnixTimeMilliseconds(), session.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        var before = DateTimeOffset.UtcNow;
        var defaulted = await w.SuggestAsync();
        var expiresAt = defaulted.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt, before.AddMonths(3), DateTimeOffset.UtcNow.AddMonths(3));
    }

    [Fact]
    public async Task An_edit_is_validated_again()
    {
        var w = await SessionWorld.CreateAsync(api);
        var id = await w.SuggestIdAsync();
        await Refused(await w.Supervisor().PatchAsync($"/v1/sessions/{id}", JsonContent(new { trainees = new[] { User(w.Sup) } })), "supervisor-as-participant");
        await Refused(await w.Supervisor().PatchAsync($"/v1/sessions/{id}", JsonContent(new { expiresAt = DateTimeOffset.UtcNow.AddSeconds(-5) })), "expiry-in-past");
    }

    [Fact]
    public async Task Malformed_suggestions_are_400_with_field_errors_and_the_function_needs_its_role_and_permission()
    {
        var w = await SessionWorld.CreateAsync(api);
        var body = await (await w.Supervisor().PostJson("/v1/sessions", new { title = "", coach = new { type = "team", id = w.Coach }, trainees = Array.Empty<object>() }))
            .Expect(HttpStatusCode.BadRequest, "invalid-request");
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("coach.type", out _));
        Assert.True(errors.TryGetProperty("trainees", out _));
        Assert.True(errors.TryGetProperty("coachingArea", out _));

        await (await w.Supervisor(w.Sup, "suggestions.view").PostJson("/v1/sessions", w.Draft())).Expect(HttpStatusCode.Forbidden);
        await (await api.As(w.Coach, ["coach"], ["suggestions.create"]).PostJson("/v1/sessions", w.Draft(coach: User(w.Coach2)))).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostJson("/v1/sessions", w.Draft())).StatusCode);
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object body) =>
        System.Net.Http.Json.JsonContent.Create(body, options: Coaching.Testing.Http.Json);
}

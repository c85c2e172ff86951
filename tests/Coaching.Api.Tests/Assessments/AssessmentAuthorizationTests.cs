using System.Net;
using Coaching.Testing;
using static Coaching.Api.Tests.Assessments.CoachingFloor;

namespace Coaching.Api.Tests.Assessments;

[Collection(ApiCollection.Name)]
public sealed class AssessmentAuthorizationTests(SharedApi api)
{
    [Fact]
    public async Task A_trainee_reading_another_trainees_assessment_gets_404_like_an_unknown_id()
    {
        var floor = await new CoachingFloor(api, "authz-read").SetUp();
        var theirs = await floor.Create("evt-r-1");
        var other = api.As(floor.OtherTrainee, ["agent"]);

        var hidden = await (await other.GetAsync($"/v1/assessments/{theirs.Id}")).Expect(HttpStatusCode.NotFound, "not-found");
        var unknown = await (await other.GetAsync("/v1/assessments/ASM00000000000000000000")).Expect(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(unknown.GetProperty("status").GetInt32(), hidden.GetProperty("status").GetInt32());
        await (await other.PostJson($"/v1/assessments/{theirs.Id}/notes", new { text = "peek" })).Expect(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/v1/trainees/{floor.Trainee}/assessments")).Expect(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/v1/coaches/{floor.AssignedCoach}/assessments")).Expect(HttpStatusCode.NotFound);

        // The trainee itself, the assigned coach, a group member, a supervisor and an admin do see it.
        await (await floor.AsTrainee().GetAsync($"/v1/assessments/{theirs.Id}")).Expect(HttpStatusCode.OK);
        await (await floor.AsCoach(floor.AssignedCoach).GetAsync($"/v1/assessments/{theirs.Id}")).Expect(HttpStatusCode.OK);
        await (await floor.AsCoach(floor.OtherCoach).GetAsync($"/v1/assessments/{theirs.Id}")).Expect(HttpStatusCode.OK);
        await (await api.As("authz-read-sup", ["supervisor"]).GetAsync($"/v1/assessments/{theirs.Id}")).Expect(HttpStatusCode.OK);
        await (await api.Admin().GetAsync($"/v1/assessments/{theirs.Id}")).Expect(HttpStatusCode.OK);

        // A coach outside the group sees none of the trainee's list; the group's coach sees it.
        var outsiderList = await (await floor.AsCoach(floor.Outsider).GetAsync($"/v1/trainees/{floor.Trainee}/assessments")).Expect(HttpStatusCode.OK);
        Assert.Empty(outsiderList.GetProperty("items").EnumerateArray());
        var coachList = await (await floor.AsCoach(floor.OtherCoach).GetAsync($"/v1/trainees/{floor.Trainee}/assessments")).Expect(HttpStatusCode.OK);
        Assert.Equal([theirs.Id], Strings(coachList.GetProperty("items"), "id"));
    }

    [Fact]
    public async Task A_coach_outside_the_group_can_neither_see_nor_claim_nor_be_given_it()
    {
        var floor = await new CoachingFloor(api, "authz-claim").SetUp();
        var assessment = await floor.Create("evt-c-1");
        var outsider = floor.AsCoach(floor.Outsider);

        await (await outsider.PostAsync($"/v1/assessments/{assessment.Id}/claim", null)).Expect(HttpStatusCode.NotFound, "not-found");
        await (await outsider.GetAsync($"/v1/assessments/{assessment.Id}")).Expect(HttpStatusCode.NotFound);
        // Reassigning to someone outside the group is refused too, and the trainee is never their own coach.
        var member = floor.AsCoach(floor.OtherCoach);
        await (await member.PostJson($"/v1/assessments/{assessment.Id}/reassign", new { coach = floor.Outsider }))
            .Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await member.PostJson($"/v1/assessments/{assessment.Id}/reassign", new { coach = floor.Trainee }))
            .Expect(HttpStatusCode.UnprocessableEntity, "coach-trainee-overlap");
        // The trainee, who sees it, may not claim it although it is in the group.
        await (await api.As(floor.Trainee, ["coach"]).PostAsync($"/v1/assessments/{assessment.Id}/claim", null))
            .Expect(HttpStatusCode.UnprocessableEntity, "coach-trainee-overlap");

        var after = await (await api.Admin().GetAsync($"/v1/assessments/{assessment.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(floor.AssignedCoach, after.GetProperty("coach").GetString());
        Assert.Single(after.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task Illegal_transitions_are_409_invalid_state_and_change_nothing()
    {
        var floor = await new CoachingFloor(api, "authz-state").SetUp();
        var a = await floor.Create("evt-s-1");
        var url = $"/v1/assessments/{a.Id}";
        var coach = floor.AsCoach(floor.AssignedCoach);

        await (await coach.PostAsync($"{url}/complete", null)).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await coach.PostJson($"{url}/resolve", new { summary = "s", rating = "Good", followUp = "f" })).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await floor.AsTrainee().PostAsync($"{url}/reopen", null)).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await coach.PostAsync($"{url}/start", null)).Expect(HttpStatusCode.OK);
        await (await coach.PostAsync($"{url}/start", null)).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await floor.AsCoach(floor.OtherCoach).PostAsync($"{url}/complete", null)).Expect(HttpStatusCode.Forbidden);
        await (await coach.PostJson($"{url}/resolve", new { summary = "s", followUp = "f" })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await coach.PostAsync($"{url}/learning-tasks/LT1/complete", null)).Expect(HttpStatusCode.Conflict, "invalid-state");

        // Cancel is an admin's: others are refused by function; after it, nothing moves.
        await (await coach.PostAsync($"{url}/cancel", null)).Expect(HttpStatusCode.Forbidden);
        var canceled = await (await api.Admin().PostAsync($"{url}/cancel", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", canceled.GetProperty("state").GetString());
        Assert.Equal("canceled", canceled.GetProperty("closeReason").GetString());
        await (await api.Admin().PostAsync($"{url}/cancel", null)).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await coach.PostJson($"{url}/resolve", new { summary = "s", rating = "Good", followUp = "f" })).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await coach.PostJson($"{url}/notes", new { text = "late" })).Expect(HttpStatusCode.Conflict, "invalid-state");

        var after = await (await api.Admin().GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal(["created", "started", "canceled"], Strings(after.GetProperty("history"), "action"));
        Assert.Empty(after.GetProperty("notes").EnumerateArray());
    }

    [Fact]
    public async Task Bad_list_parameters_are_400()
    {
        var floor = await new CoachingFloor(api, "authz-params").SetUp();
        var coach = floor.AsCoach(floor.CoachA);
        await (await coach.GetAsync($"/v1/coaches/{floor.CoachA}/assessments?state=Open")).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await coach.GetAsync($"/v1/coaches/{floor.CoachA}/assessments?limit=0")).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await coach.GetAsync($"/v1/coaches/{floor.CoachA}/assessments?cursor=nope")).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await coach.PostJson("/v1/survey-requests/x-1/responses", new { answers = new { q = true } })).Expect(HttpStatusCode.BadRequest, "invalid-request");
        await (await coach.PostJson("/v1/survey-requests/x-1/responses", new { answers = new { q = 3 } })).Expect(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Agents_put_in_a_coach_group_by_mistake_do_not_act_as_coaches_and_a_trainee_never_picks_its_coach()
    {
        var floor = await new CoachingFloor(api, "authz-role").SetUp();
        var assessment = await floor.Create("evt-role-1");
        // The directory mistake: an agent (OtherTrainee) in the coach group, next to the trainee who already is.
        await (await api.Admin().PutJson($"/v1/groups/{floor.Group}", new { displayName = "Coaches", members = new[] { floor.CoachA, floor.CoachB, floor.Trainee, floor.OtherTrainee } }))
            .Expect(HttpStatusCode.OK);
        var url = $"/v1/assessments/{assessment.Id}";
        var agent = api.As(floor.OtherTrainee, ["agent"]);

        // The trainee, an agent, hands its own assessment to the other agent: refused, as is the same with the coach role.
        await (await floor.AsTrainee().PostJson($"{url}/reassign", new { coach = floor.OtherTrainee })).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await api.As(floor.Trainee, ["agent", "coach"]).PostJson($"{url}/reassign", new { coach = floor.OtherTrainee }))
            .Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.PostAsync($"{url}/claim", null)).Expect(HttpStatusCode.Forbidden, "forbidden");

        // Even once given the assessment (an admin can only check membership), the agent cannot work it as a coach.
        await (await api.Admin().PostJson($"{url}/reassign", new { coach = floor.OtherTrainee })).Expect(HttpStatusCode.OK);
        await (await agent.PostAsync($"{url}/start", null)).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await floor.AsCoach(floor.OtherCoach).PostAsync($"{url}/claim", null)).Expect(HttpStatusCode.OK);
        await (await floor.AsCoach(floor.OtherCoach).PostAsync($"{url}/start", null)).Expect(HttpStatusCode.OK);

        var after = await (await api.Admin().GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal(floor.OtherCoach, after.GetProperty("coach").GetString());
        Assert.Equal(["created", "reassigned", "claimed", "started"], Strings(after.GetProperty("history"), "action"));
    }
}

using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests.Assessments;

/// <summary>A user the directory deletes or deactivates acts as nobody at once, whatever its token says.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeletedUserTests(SharedApi api)
{
    [Fact]
    public async Task A_deleted_coachs_token_acts_as_nobody_on_every_route_at_once()
    {
        var floor = await new CoachingFloor(api, "gone").SetUp();
        var assessment = await floor.Create("evt-gone-1");
        var coach = floor.AsCoach(floor.AssignedCoach);
        await (await coach.GetAsync($"/v1/coach-groups/{floor.Group}/assessments")).Expect(HttpStatusCode.OK);
        await (await coach.GetAsync($"/v1/assessments/{assessment.Id}")).Expect(HttpStatusCode.OK);

        await (await api.Admin().DeleteAsync($"/v1/users/{floor.AssignedCoach}")).Expect(HttpStatusCode.NoContent);

        await (await coach.GetAsync($"/v1/coach-groups/{floor.Group}/assessments")).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await coach.GetAsync($"/v1/assessments/{assessment.Id}")).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await coach.PostAsync($"/v1/assessments/{assessment.Id}/start", null)).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await coach.GetAsync("/v1/me/notifications")).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await coach.GetAsync("/v1/coaching-areas")).Expect(HttpStatusCode.Forbidden, "forbidden");
        // The other coach of the group is unaffected, and finds the assessment back in the group's queue, unassigned.
        var other = floor.AsCoach(floor.OtherCoach);
        var unassigned = await (await other.GetAsync($"/v1/coach-groups/{floor.Group}/assessments?unassigned=true")).Expect(HttpStatusCode.OK);
        Assert.Equal([assessment.Id], CoachingFloor.Strings(unassigned.GetProperty("items"), "id"));
        var released = await (await other.GetAsync($"/v1/assessments/{assessment.Id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, released.GetProperty("coach").ValueKind);
        Assert.Equal("released", CoachingFloor.Strings(released.GetProperty("history"), "action")[^1]);
        Assert.Empty((await (await api.Admin().GetAsync($"/v1/coaches/{floor.AssignedCoach}/assessments")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await (await other.PostAsync($"/v1/assessments/{assessment.Id}/claim", null)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_inactive_admin_acts_as_nobody_until_made_active_again()
    {
        var admin = api.As("gone-admin", ["coaching.admin"]);
        await (await admin.GetAsync("/v1/opportunities")).Expect(HttpStatusCode.OK);

        await (await api.Admin().PutJson("/v1/users/gone-admin", new { displayName = "Former admin", active = false })).Expect(HttpStatusCode.OK);
        await (await admin.GetAsync("/v1/opportunities")).Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PutJson("/v1/users/gone-admin", new { displayName = "Back again", active = true })).Expect(HttpStatusCode.Forbidden, "forbidden");

        await (await api.Admin().PutJson("/v1/users/gone-admin", new { displayName = "Admin again", active = true })).Expect(HttpStatusCode.OK);
        await (await admin.GetAsync("/v1/opportunities")).Expect(HttpStatusCode.OK);
    }
}

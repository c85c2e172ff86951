using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class DirectoryTests(SharedApi api)
{
    [Fact]
    public async Task A_user_is_written_read_and_deleted_without_losing_it()
    {
        var client = api.Integration();
        var put = await (await client.PutJson("/v1/users/dir-u1", new { displayName = "Dana Reyes", email = "dana@example.test" }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("Dana Reyes", put.GetProperty("displayName").GetString());
        Assert.True(put.GetProperty("active").GetBoolean());

        await (await client.DeleteAsync("/v1/users/dir-u1")).Expect(HttpStatusCode.NoContent);

        var read = await (await client.GetAsync("/v1/users/dir-u1")).Expect(HttpStatusCode.OK);
        Assert.True(read.GetProperty("deleted").GetBoolean());
        Assert.Equal("dana@example.test", read.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Unknown_users_are_404()
    {
        await (await api.Admin().GetAsync("/v1/users/dir-nobody")).Expect(HttpStatusCode.NotFound, "not-found");
        await (await api.Admin().DeleteAsync("/v1/users/dir-nobody")).Expect(HttpStatusCode.NotFound, "not-found");
        await (await api.Admin().GetAsync("/v1/groups/dir-nogroup")).Expect(HttpStatusCode.NotFound, "not-found");
        await (await api.Admin().GetAsync("/v1/surveys/dir-nosurvey")).Expect(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_group_keeps_its_members_and_users_know_their_groups()
    {
        var admin = api.Admin();
        await admin.PutJson("/v1/users/dir-g-a", new { displayName = "A" });
        await admin.PutJson("/v1/users/dir-g-b", new { displayName = "B" });

        await (await admin.PutJson("/v1/groups/dir-team", new { displayName = "Team", members = new[] { "dir-g-a", "dir-g-b" } }))
            .Expect(HttpStatusCode.OK);
        var b = await (await admin.GetAsync("/v1/users/dir-g-b")).Expect(HttpStatusCode.OK);
        Assert.Equal(["dir-team"], b.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));

        await admin.PutJson("/v1/groups/dir-team", new { displayName = "Team", members = new[] { "dir-g-a" } });
        b = await (await admin.GetAsync("/v1/users/dir-g-b")).Expect(HttpStatusCode.OK);
        Assert.Empty(b.GetProperty("groups").EnumerateArray());

        var group = await (await admin.GetAsync("/v1/groups/dir-team")).Expect(HttpStatusCode.OK);
        Assert.Equal(["dir-g-a"], group.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task A_group_with_an_unknown_member_is_refused()
    {
        var response = await api.Admin().PutJson("/v1/groups/dir-bad", new { displayName = "Bad", members = new[] { "dir-ghost" } });
        await response.Expect(HttpStatusCode.UnprocessableEntity, "unknown-user");
        await (await api.Admin().GetAsync("/v1/groups/dir-bad")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Coaching_areas_are_listed_for_any_role()
    {
        await (await api.Admin().PutJson("/v1/coaching-areas/dir-empathy", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
        var list = await (await api.As("u-agent", ["agent"]).GetAsync("/v1/coaching-areas")).Expect(HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("id").GetString() == "dir-empathy" && a.GetProperty("name").GetString() == "Empathy");
    }

    [Fact]
    public async Task A_survey_definition_round_trips()
    {
        var body = """{"name":"Coach effectiveness","questions":[{"id":"q1","text":"How useful?","type":"rating"},{"id":"q2","text":"Comments","type":"text"}]}""";
        await (await api.Admin().Send(HttpMethod.Put, "/v1/surveys/dir-survey", body)).Expect(HttpStatusCode.OK);
        var survey = await (await api.Admin().GetAsync("/v1/surveys/dir-survey")).Expect(HttpStatusCode.OK);
        var questions = survey.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal(["rating", "text"], questions.Select(q => q.GetProperty("type").GetString()));
    }
}

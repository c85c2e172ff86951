using System.Net;
using System.Text.Json;
using Coaching.Assessments;
using Coaching.Testing;
using static Coaching.Api.Tests.Assessments.CoachingFloor;

namespace Coaching.Api.Tests.Assessments;

/// <summary>SPEC F: notes per assessment are bounded by count and by total length; past either, 422 <c>notes-limit</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class NoteLimitTests(SharedApi api)
{
    [Fact]
    public async Task The_note_after_the_two_hundredth_is_refused_with_notes_limit()
    {
        var floor = await new CoachingFloor(api, "notes-count").SetUp();
        var created = await floor.Create("evt-notes-count");
        var grain = floor.Grains.GetGrain<IAssessmentGrain>(created.Id);
        var trainee = new AssessmentActor(floor.Trainee);
        // The first 200 straight to the grain: the request budget of one user is not what this test is about.
        for (var i = 0; i < AssessmentLifecycle.MaxNotes; i++)
        {
            Assert.Null((await grain.AddNote(trainee, $"Note {i}")).Refusal);
        }

        var url = $"/v1/assessments/{created.Id}";
        await (await floor.AsTrainee().PostJson($"{url}/notes", new { text = "One more." })).Expect((HttpStatusCode)422, "notes-limit");
        await (await floor.AsCoach(floor.AssignedCoach).PostJson($"{url}/notes", new { text = "Mine too?" })).Expect((HttpStatusCode)422, "notes-limit");

        var read = await Ok(floor.AsTrainee().GetAsync(url));
        Assert.Equal(AssessmentLifecycle.MaxNotes, read.GetProperty("notes").GetArrayLength());
        Assert.Equal("Note 199", read.GetProperty("notes")[AssessmentLifecycle.MaxNotes - 1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Long_notes_stop_at_the_total_length_and_the_assessment_stays_small()
    {
        var floor = await new CoachingFloor(api, "notes-size").SetUp();
        var created = await floor.Create("evt-notes-size");
        var url = $"/v1/assessments/{created.Id}";
        var trainee = floor.AsTrainee();
        var longest = new string('n', AssessmentLifecycle.MaxTextLength);

        var accepted = 0;
        HttpResponseMessage response;
        while ((response = await trainee.PostJson($"{url}/notes", new { text = longest })).StatusCode == HttpStatusCode.OK && accepted < 100)
        {
            accepted++;
        }

        var problem = await response.Expect((HttpStatusCode)422, "notes-limit");
        Assert.Equal(AssessmentLifecycle.MaxNotesTextLength / AssessmentLifecycle.MaxTextLength, accepted);
        Assert.Contains("characters", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // What still fits goes in; then nothing does.
        var rest = AssessmentLifecycle.MaxNotesTextLength - (accepted * AssessmentLifecycle.MaxTextLength);
        await Ok(trainee.PostJson($"{url}/notes", new { text = new string('r', rest) }));
        await (await trainee.PostJson($"{url}/notes", new { text = "x" })).Expect((HttpStatusCode)422, "notes-limit");

        var body = await (await trainee.GetAsync(url)).Content.ReadAsByteArrayAsync();
        Assert.InRange(body.Length, AssessmentLifecycle.MaxNotesTextLength, 1_000_000);
    }

    [Fact]
    public async Task OpenApi_lists_the_limit_codes_on_the_routes_that_give_them()
    {
        var paths = JsonDocument.Parse(await (await api.Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())
            .RootElement.GetProperty("paths");

        foreach (var (route, code) in new[] { ("notes", "notes-limit"), ("reopen", "history-limit"), ("claim", "history-limit"), ("reassign", "history-limit") })
        {
            var operation = paths.GetProperty($"/v1/assessments/{{id}}/{route}").GetProperty("post");
            Assert.True(operation.GetProperty("responses").TryGetProperty("422", out _), $"{route} does not document 422");
            Assert.Contains($"`{code}`", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
    }
}

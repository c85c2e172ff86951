using System.Net.Http.Json;
using System.Net;
using Coaching.Api.Tests.Assessments;
using Coaching.Api.Tests.Sessions;
using Coaching.Assessments;
using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>
/// The object half of the authorization matrix: on every route that reads or acts on one object, a caller with the
/// right role but the wrong object gets 404 (ids cannot be probed), and the right caller gets through. Every route
/// of <see cref="AuthorizationMatrixTests"/> is either checked here or declared to have no object of its own.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ObjectAuthorizationTests(SharedApi api)
{
    /// <summary>Routes whose authorization is by role (or the caller itself) only: no object another caller could own.</summary>
    public static readonly HashSet<string> WithoutObject = new(StringComparer.Ordinal)
    {
        "PUT /v1/users/{id}", "GET /v1/users/{id}", "DELETE /v1/users/{id}", "PUT /v1/groups/{id}", "GET /v1/groups/{id}",
        "PUT /v1/coaching-areas/{id}", "GET /v1/coaching-areas", "PUT /v1/surveys/{id}", "GET /v1/surveys/{id}",
        "POST /v1/opportunities", "GET /v1/opportunities", "GET /v1/opportunities/{id}", "PUT /v1/opportunities/{id}",
        "POST /v1/opportunities/{id}/activate", "POST /v1/opportunities/{id}/deactivate", "GET /v1/opportunities/{id}/stats",
        "POST /v1/events", "POST /v1/events/batch", "POST /v1/assessments/{id}/cancel", "POST /v1/sessions",
        "GET /v1/me/notifications", "GET /v1/me/notifications/stream", "GET /v1/me/surveys",
        "GET /v1/me/suggested-sessions", "GET /v1/me/coaching-sessions",
        // Tested in NotificationTests: another user's notification id is 404 in one's own inbox.
        "POST /v1/me/notifications/{id}/read",
        // A case page is a filtered list: others see it without the sessions they may not read (checked below).
        "GET /v1/cases/{caseId}/sessions",
    };

    public static readonly HashSet<string> Checked = new(StringComparer.Ordinal)
    {
        "GET /v1/assessments/{id}", "POST /v1/assessments/{id}/claim", "POST /v1/assessments/{id}/start",
        "POST /v1/assessments/{id}/complete", "POST /v1/assessments/{id}/reopen", "POST /v1/assessments/{id}/reassign",
        "POST /v1/assessments/{id}/resolve", "POST /v1/assessments/{id}/notes", "POST /v1/assessments/{id}/learning-tasks/{taskId}/complete",
        "GET /v1/coaches/{userId}/assessments", "GET /v1/coach-groups/{groupId}/assessments", "GET /v1/trainees/{userId}/assessments",
        "POST /v1/survey-requests/{id}/responses",
        "GET /v1/sessions/{id}", "PATCH /v1/sessions/{id}", "DELETE /v1/sessions/{id}", "POST /v1/sessions/{id}/schedule",
        "POST /v1/sessions/{id}/decline", "POST /v1/sessions/{id}/complete", "GET /v1/agents/{userId}/sessions",
    };

    [Fact]
    public void Every_route_is_either_object_checked_or_declared_without_object()
    {
        var all = AuthorizationMatrixTests.RouteKeys;
        Assert.Empty(all.Except(WithoutObject).Except(Checked));
        Assert.Empty(Checked.Intersect(WithoutObject));
        Assert.Empty(Checked.Union(WithoutObject).Except(all));
    }

    [Fact]
    public async Task Assessment_routes_answer_404_to_the_wrong_object_and_let_the_right_one_through()
    {
        var floor = await new CoachingFloor(api, "oa").SetUp();
        var a = (await floor.Create("oa-1")).Id;
        var v = (await floor.Create("oa-2", completion: CompletionMode.Virtual, virtualItems: new RecommendedLearning("Read the guide", null))).Id;
        var trainee = floor.AsTrainee();
        var otherTrainee = api.As(floor.OtherTrainee, ["agent"]);
        var coach = floor.AsCoach(floor.AssignedCoach);
        var outsider = floor.AsCoach(floor.Outsider);
        var resolve = new { summary = "Good call handling", rating = "Good", followUp = "Shadow a senior" };

        // A resolved assessment, so that its survey requests exist before anyone probes them.
        var resolved = (await floor.Create("oa-3")).Id;
        await (await coach.PostAsync($"/v1/assessments/{resolved}/start", null)).Expect(HttpStatusCode.OK);
        await (await coach.PostJson($"/v1/assessments/{resolved}/resolve", resolve)).Expect(HttpStatusCode.OK);
        var surveyRequest = SurveyRequestIds.For(resolved, SurveyAudience.FilledByTrainee);
        Assert.Contains(surveyRequest, (await (await trainee.GetAsync("/v1/me/surveys")).Expect(HttpStatusCode.OK)).ToString(), StringComparison.Ordinal);

        (HttpClient Wrong, HttpClient Right, HttpMethod Method, string Path, object? Body)[] rows =
        [
            (otherTrainee, trainee, HttpMethod.Get, $"/v1/assessments/{a}", null),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/claim", null),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/start", null),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/notes", new { text = "Listened well" }),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/resolve", resolve),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/complete", null),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/reopen", null),
            (outsider, coach, HttpMethod.Post, $"/v1/assessments/{a}/reassign", new { coach = floor.OtherCoach }),
            (otherTrainee, trainee, HttpMethod.Post, $"/v1/assessments/{v}/learning-tasks/LT1/complete", null),
            (outsider, coach, HttpMethod.Get, $"/v1/coaches/{floor.AssignedCoach}/assessments", null),
            (outsider, coach, HttpMethod.Get, $"/v1/coach-groups/{floor.Group}/assessments", null),
            (otherTrainee, trainee, HttpMethod.Get, $"/v1/trainees/{floor.Trainee}/assessments", null),
            (otherTrainee, trainee, HttpMethod.Post, $"/v1/survey-requests/{surveyRequest}/responses",
                new { answers = new Dictionary<string, object> { ["q1"] = 9 } }),
        ];

        await Walk(rows);
    }

    [Fact]
    public async Task Session_routes_answer_404_to_the_wrong_object_and_let_the_right_one_through()
    {
        var world = await SessionWorld.CreateAsync(api);
        await world.UserAsync("sup2", "Other Supervisor");
        var s = await world.SuggestIdAsync();
        var toDelete = await world.SuggestIdAsync();
        var toDecline = await world.SuggestIdAsync();
        var coach = world.CoachClient();
        var otherCoach = world.CoachClient(world.Coach2);
        var otherSupervisor = world.Supervisor(world.Id("sup2"), "suggestions.view", "suggestions.create");
        var schedule = new { scheduledAt = DateTimeOffset.UtcNow.AddDays(2), durationMinutes = 30 };

        (HttpClient Wrong, HttpClient Right, HttpMethod Method, string Path, object? Body)[] rows =
        [
            (world.Agent(world.T2), world.Agent(world.T1), HttpMethod.Get, $"/v1/sessions/{s}", null),
            (otherCoach, world.Supervisor(), HttpMethod.Get, $"/v1/sessions/{s}", null),
            (otherCoach, coach, HttpMethod.Post, $"/v1/sessions/{s}/schedule", schedule),
            (otherCoach, coach, HttpMethod.Post, $"/v1/sessions/{s}/complete", new { notes = "Went well" }),
            (world.Agent(world.T2), world.Agent(world.T1), HttpMethod.Post, $"/v1/sessions/{toDecline}/decline", new { reason = "On leave" }),
            (world.Agent(world.T2), world.Agent(world.T1), HttpMethod.Get, $"/v1/agents/{world.T1}/sessions", null),
        ];

        // Supervisors see every session (SPEC B), so another supervisor reads it, and is refused its edits with a 403.
        await (await otherSupervisor.GetAsync($"/v1/sessions/{s}")).Expect(HttpStatusCode.OK);
        await (await otherSupervisor.PatchAsJsonAsync($"/v1/sessions/{s}", new { title = "Empathy, revisited" }, Coaching.Testing.Http.Json))
            .Expect(HttpStatusCode.Forbidden, "forbidden");
        await (await otherSupervisor.DeleteAsync($"/v1/sessions/{toDelete}")).Expect(HttpStatusCode.Forbidden, "forbidden");

        await Walk(rows);
        await (await world.Supervisor().DeleteAsync($"/v1/sessions/{toDelete}")).Expect(HttpStatusCode.NoContent);

        // The case page is a filtered list: an agent who is not in the session sees the page without it.
        var casePage = await (await world.Agent(world.T2).GetAsync($"/v1/cases/{world.Id("CASE-9")}/sessions")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(casePage.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == s);
    }

    // Wrong callers first, so nothing the right callers change can explain a 404.
    private static async Task Walk((HttpClient Wrong, HttpClient Right, HttpMethod Method, string Path, object? Body)[] rows)
    {
        foreach (var (wrong, _, method, path, body) in rows)
        {
            var response = await Send(wrong, method, path, body);
            Assert.True(response == HttpStatusCode.NotFound, $"{method} {path} as the wrong caller: {(int)response}");
        }

        foreach (var (_, right, method, path, body) in rows)
        {
            var response = await Send(right, method, path, body);
            Assert.True(response is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized),
                $"{method} {path} as the right caller: {(int)response}");
        }
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body, options: Coaching.Testing.Http.Json);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

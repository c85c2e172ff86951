using System.Net;
using System.Text.Json;
using Coaching.Testing;
using static Coaching.Api.Tests.Assessments.CoachingFloor;

namespace Coaching.Api.Tests.Assessments;

[Collection(ApiCollection.Name)]
public sealed class AssessmentWalkTests(SharedApi api)
{
    [Fact]
    public async Task An_assessment_walks_from_creation_through_surveys_to_completion_reopen_and_completion_again()
    {
        var floor = await new CoachingFloor(api, "walk").SetUp();
        var created = await floor.Create("evt-walk-1");
        Assert.Equal(floor.AssignedCoach, created.CoachId);
        Assert.NotEqual(floor.Trainee, created.CoachId);
        var url = $"/v1/assessments/{created.Id}";

        var coach = floor.AsCoach(floor.OtherCoach);
        var trainee = floor.AsTrainee();
        var read = await Ok(trainee.GetAsync(url));
        Assert.Equal("New", read.GetProperty("state").GetString());
        Assert.Equal(floor.Trainee, read.GetProperty("trainee").GetString());
        Assert.Equal(floor.Group, read.GetProperty("coachGroup").GetString());
        Assert.Equal("Reassignment basics", read.GetProperty("recommendedLearnings")[0].GetProperty("title").GetString());
        Assert.Equal("fixed", read.GetProperty("snapshot").GetProperty("resolution_code").GetString());

        // The other member of the coach group claims it, starts it, and both write notes.
        var claimed = await Ok(coach.PostAsync($"{url}/claim", null));
        Assert.Equal(floor.OtherCoach, claimed.GetProperty("coach").GetString());
        Assert.Equal("InProgress", (await Ok(coach.PostAsync($"{url}/start", null))).GetProperty("state").GetString());
        await Ok(coach.PostJson($"{url}/notes", new { text = "Walked through the reassignment rules." }));
        var noted = await Ok(trainee.PostJson($"{url}/notes", new { text = "Understood, thanks." }));
        Assert.Equal([floor.OtherCoach, floor.Trainee], Strings(noted.GetProperty("notes"), "author"));

        var resolved = await Ok(coach.PostJson($"{url}/resolve", new { summary = "Good grasp.", rating = "Good", followUp = "Check in a week." }));
        Assert.Equal("Resolved", resolved.GetProperty("state").GetString());
        Assert.Equal("Good", resolved.GetProperty("rating").GetString());

        // Surveys: the trainee survey to the coach, the coach survey to the trainee; answered, rolled up.
        var coachSurveys = (await Ok(coach.GetAsync("/v1/me/surveys"))).GetProperty("items");
        var coachRequest = Assert.Single(coachSurveys.EnumerateArray());
        Assert.Equal("filled-by-coach", coachRequest.GetProperty("audience").GetString());
        Assert.Equal(floor.TraineeSurvey, coachRequest.GetProperty("surveyId").GetString());
        var traineeRequest = Assert.Single((await Ok(trainee.GetAsync("/v1/me/surveys"))).GetProperty("items").EnumerateArray());
        Assert.Equal("filled-by-trainee", traineeRequest.GetProperty("audience").GetString());

        var coachRequestId = coachRequest.GetProperty("id").GetString();
        var traineeRequestId = traineeRequest.GetProperty("id").GetString();
        // Somebody else's request is not found; a bad answer is a 400; a good one is taken once.
        await (await trainee.PostJson($"/v1/survey-requests/{coachRequestId}/responses", new { answers = new { skill = 5 } }))
            .Expect(HttpStatusCode.NotFound, "not-found");
        await (await coach.PostJson($"/v1/survey-requests/{coachRequestId}/responses", new { answers = new { skill = 11 } }))
            .Expect(HttpStatusCode.BadRequest, "invalid-request");
        var answered = await Ok(coach.PostJson($"/v1/survey-requests/{coachRequestId}/responses",
            new { answers = new Dictionary<string, object> { ["skill"] = 8, ["care"] = 7, ["remarks"] = "Keen." } }));
        Assert.Equal(7.5, answered.GetProperty("rating").GetDouble());
        await (await coach.PostJson($"/v1/survey-requests/{coachRequestId}/responses", new { answers = new { skill = 9 } }))
            .Expect(HttpStatusCode.Conflict, "invalid-state");
        await Ok(trainee.PostJson($"/v1/survey-requests/{traineeRequestId}/responses", new { answers = new { helpful = 9 } }));

        var rated = await Ok(trainee.GetAsync(url));
        Assert.Equal(7.5, rated.GetProperty("traineeRating").GetDouble());
        Assert.Equal(9, rated.GetProperty("coachRating").GetDouble());
        Assert.Empty((await Ok(trainee.GetAsync("/v1/me/surveys?pending=true"))).GetProperty("items").EnumerateArray());

        var completed = await Ok(coach.PostAsync($"{url}/complete", null));
        Assert.Equal("ClosedComplete", completed.GetProperty("state").GetString());
        Assert.Equal("completed", completed.GetProperty("closeReason").GetString());

        var dueBefore = completed.GetProperty("dueAt").GetDateTimeOffset();
        var reopened = await Ok(trainee.PostAsync($"{url}/reopen", null));
        Assert.Equal("InProgress", reopened.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("closeReason").ValueKind);
        Assert.True(reopened.GetProperty("dueAt").GetDateTimeOffset() > dueBefore, "reopening restarts the due date");

        await Ok(coach.PostJson($"{url}/resolve", new { summary = "Better now.", rating = "Excellent", followUp = "None." }));
        var final = await Ok(coach.PostAsync($"{url}/complete", null));
        Assert.Equal("ClosedComplete", final.GetProperty("state").GetString());
        Assert.Equal("Excellent", final.GetProperty("rating").GetString());

        var history = final.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(
            ["created", "claimed", "started", "resolved", "completed", "reopened", "resolved", "completed"],
            history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal(
            ["system", floor.OtherCoach, floor.OtherCoach, floor.OtherCoach, floor.OtherCoach, floor.Trainee, floor.OtherCoach, floor.OtherCoach],
            history.Select(h => h.GetProperty("actor").GetString()));
        Assert.Equal(
            [null, "New", "New", "InProgress", "Resolved", "ClosedComplete", "InProgress", "Resolved"],
            history.Select(h => h.GetProperty("from").ValueKind == JsonValueKind.Null ? null : h.GetProperty("from").GetString()));
        Assert.Equal(
            ["New", "New", "InProgress", "Resolved", "ClosedComplete", "InProgress", "Resolved", "ClosedComplete"],
            history.Select(h => h.GetProperty("to").GetString()));
        Assert.All(history, h => Assert.True(h.GetProperty("at").GetDateTimeOffset() >= created.CreatedAt));

        // Surveys went out once: resolving again after the reopen sent none.
        Assert.Single((await Ok(coach.GetAsync("/v1/me/surveys"))).GetProperty("items").EnumerateArray());

        // Notifications: assignment to each coach, resolution and survey request to the trainee.
        var assignedCoachInbox = (await Ok(floor.AsCoach(floor.AssignedCoach).GetAsync("/v1/me/notifications"))).GetProperty("items");
        Assert.Contains("assessment-assigned", Strings(assignedCoachInbox, "type"));
        var claimerInbox = Strings((await Ok(coach.GetAsync("/v1/me/notifications"))).GetProperty("items"), "type");
        Assert.Contains("assessment-assigned", claimerInbox);
        Assert.Contains("survey-requested", claimerInbox);
        var traineeInbox = Strings((await Ok(trainee.GetAsync("/v1/me/notifications"))).GetProperty("items"), "type");
        Assert.Equal(2, traineeInbox.Count(t => t == "assessment-resolved"));
        Assert.Single(traineeInbox, t => t == "survey-requested");

        // Lists: the claiming coach's closed work, the trainee's own list, and nothing left on the first coach.
        var coachList = await Ok(coach.GetAsync($"/v1/coaches/{floor.OtherCoach}/assessments?state=ClosedComplete"));
        Assert.Equal([created.Id], Strings(coachList.GetProperty("items"), "id"));
        Assert.Empty((await Ok(api.Admin().GetAsync($"/v1/coaches/{floor.AssignedCoach}/assessments"))).GetProperty("items").EnumerateArray());
        Assert.Equal([created.Id], Strings((await Ok(trainee.GetAsync($"/v1/trainees/{floor.Trainee}/assessments"))).GetProperty("items"), "id"));
    }

    [Fact]
    public async Task Create_is_idempotent_and_an_empty_group_leaves_it_unassigned_in_the_queue_until_claimed()
    {
        var floor = await new CoachingFloor(api, "queue").SetUp();
        var first = await floor.Create("evt-q-1");
        var again = await floor.Create("evt-q-1");
        Assert.Equal(first, again);
        Assert.Single(first.History);

        // Nobody eligible: both coaches inactive, and the trainee never coaches themselves.
        var admin = api.Admin();
        await Ok(admin.PutJson($"/v1/users/{floor.CoachA}", new { displayName = "A", active = false }));
        await Ok(admin.PutJson($"/v1/users/{floor.CoachB}", new { displayName = "B", active = false }));
        var waiting = await floor.Create("evt-q-2");
        Assert.Null(waiting.CoachId);

        // An inactive coach acts as nobody, and the assessment it held went back to the queue with the new one.
        var member = floor.AsCoach(floor.CoachA);
        await (await member.GetAsync($"/v1/coach-groups/{floor.Group}/assessments?unassigned=true")).Expect(HttpStatusCode.Forbidden, "forbidden");
        var queue = await Ok(admin.GetAsync($"/v1/coach-groups/{floor.Group}/assessments?unassigned=true"));
        Assert.Equal(new[] { first.Id, waiting.Id }.Order(StringComparer.Ordinal), Strings(queue.GetProperty("items"), "id").Order(StringComparer.Ordinal));
        await (await floor.AsCoach(floor.Outsider).GetAsync($"/v1/coach-groups/{floor.Group}/assessments")).Expect(HttpStatusCode.NotFound);

        await Ok(admin.PutJson($"/v1/users/{floor.CoachA}", new { displayName = "A", active = true }));
        var claimed = await Ok(member.PostAsync($"/v1/assessments/{waiting.Id}/claim", null));
        Assert.Equal(floor.CoachA, claimed.GetProperty("coach").GetString());
        Assert.Equal([first.Id], Strings((await Ok(member.GetAsync($"/v1/coach-groups/{floor.Group}/assessments?unassigned=true"))).GetProperty("items"), "id"));
        var all = await Ok(member.GetAsync($"/v1/coach-groups/{floor.Group}/assessments?limit=1"));
        Assert.Single(all.GetProperty("items").EnumerateArray());
        var next = all.GetProperty("nextCursor").GetString();
        var second = await Ok(member.GetAsync($"/v1/coach-groups/{floor.Group}/assessments?limit=1&cursor={Uri.EscapeDataString(next!)}"));
        Assert.Equal(
            new[] { first.Id, waiting.Id }.Order(StringComparer.Ordinal),
            Strings(all.GetProperty("items"), "id").Concat(Strings(second.GetProperty("items"), "id")).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }
}

using System.Net;
using System.Text.Json;
using Coaching.Assessments;
using Coaching.Testing;
using static Coaching.Api.Tests.Assessments.CoachingFloor;

namespace Coaching.Api.Tests.Assessments;

[Collection(ApiCollection.Name)]
public sealed class VirtualCoachingTests(SharedApi api)
{
    [Fact]
    public async Task The_trainee_completing_every_learning_task_closes_a_virtual_assessment()
    {
        var floor = await new CoachingFloor(api, "virtual").SetUp();
        var a = await floor.Create("evt-v-1", completion: CompletionMode.Virtual,
            virtualItems: [new RecommendedLearning("Video: reassigning well", "https://learn.example/v1"), new RecommendedLearning("Quiz", null)]);
        Assert.Null(a.CoachId);
        var url = $"/v1/assessments/{a.Id}";
        var trainee = floor.AsTrainee();

        var read = await Ok(trainee.GetAsync(url));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("coach").ValueKind);
        Assert.Equal(["LT1", "LT2"], Strings(read.GetProperty("learningTasks"), "id"));
        Assert.Equal(["Video: reassigning well", "Quiz"], Strings(read.GetProperty("learningTasks"), "title"));
        Assert.Single(read.GetProperty("recommendedLearnings").EnumerateArray());

        // No coach works it: claiming and starting are refused; only the trainee completes tasks.
        await (await floor.AsCoach(floor.CoachA).PostAsync($"{url}/claim", null)).Expect(HttpStatusCode.Conflict, "invalid-state");
        await (await floor.AsCoach(floor.CoachA).PostAsync($"{url}/learning-tasks/LT1/complete", null)).Expect(HttpStatusCode.Forbidden);
        await (await trainee.PostAsync($"{url}/learning-tasks/LT9/complete", null)).Expect(HttpStatusCode.BadRequest, "invalid-request");

        var one = await Ok(trainee.PostAsync($"{url}/learning-tasks/LT1/complete", null));
        Assert.Equal("InProgress", one.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.String, one.GetProperty("learningTasks")[0].GetProperty("completedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, one.GetProperty("learningTasks")[1].GetProperty("completedAt").ValueKind);

        var done = await Ok(trainee.PostAsync($"{url}/learning-tasks/LT2/complete", null));
        Assert.Equal("ClosedComplete", done.GetProperty("state").GetString());
        Assert.Equal("learning-completed", done.GetProperty("closeReason").GetString());
        Assert.Equal(["created", "learning-started", "learning-completed"], Strings(done.GetProperty("history"), "action"));
        // Nobody was assigned, so nobody was notified of an assignment.
        var inbox = await Ok(floor.AsCoach(floor.AssignedCoach).GetAsync("/v1/me/notifications"));
        Assert.DoesNotContain(inbox.GetProperty("items").EnumerateArray(), n => n.GetProperty("subject").GetProperty("id").GetString() == a.Id);
    }
}

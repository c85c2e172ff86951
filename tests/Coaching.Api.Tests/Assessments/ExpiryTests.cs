using System.Net;
using System.Text.Json;
using Coaching.Testing;
using static Coaching.Api.Tests.Assessments.CoachingFloor;

namespace Coaching.Api.Tests.Assessments;

/// <summary>An API host of its own whose reminders may tick every two seconds, so expiry runs on real reminders quickly.</summary>
public sealed class QuickRemindersApi() : CoachingApi(new Dictionary<string, string?> { ["Coaching:Reminders:MinimumPeriod"] = "00:00:02" });

public sealed class ExpiryTests(QuickRemindersApi api) : IClassFixture<QuickRemindersApi>
{
    [Fact]
    public async Task An_assessment_past_its_due_time_closes_as_expired_by_its_reminder_and_both_sides_are_told()
    {
        var floor = await new CoachingFloor(api, "expiry").SetUp();
        var a = await floor.Create("evt-x-1", duration: TimeSpan.FromSeconds(3));
        var coach = floor.AsCoach(floor.AssignedCoach);
        await (await coach.PostAsync($"/v1/assessments/{a.Id}/start", null)).Expect(HttpStatusCode.OK);

        // Watch the coach's list, which only the assessment grain itself updates (reading the assessment would
        // activate it and catch up by itself): the reminder must do the work.
        var closed = await SiloUnderTest.EventuallyAsync(async () =>
        {
            var list = await Ok(coach.GetAsync($"/v1/coaches/{floor.AssignedCoach}/assessments?state=ClosedComplete"));
            return list.GetProperty("items").GetArrayLength() == 1;
        }, TimeSpan.FromSeconds(20));
        Assert.True(closed, "the assessment did not expire");

        var expired = await Ok(coach.GetAsync($"/v1/assessments/{a.Id}"));
        Assert.Equal("ClosedComplete", expired.GetProperty("state").GetString());
        Assert.Equal("expired", expired.GetProperty("closeReason").GetString());
        Assert.False(expired.GetProperty("overdue").GetBoolean());
        var last = expired.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("system", last.GetProperty("actor").GetString());
        Assert.Equal("InProgress", last.GetProperty("from").GetString());
        Assert.True(last.GetProperty("at").GetDateTimeOffset() >= a.DueAt, "expired before it was due");

        foreach (var user in new[] { floor.AssignedCoach, floor.Trainee })
        {
            var inbox = await Ok(api.As(user, ["agent"]).GetAsync("/v1/me/notifications"));
            Assert.Single(inbox.GetProperty("items").EnumerateArray(),
                n => n.GetProperty("type").GetString() == "assessment-expired" && n.GetProperty("subject").GetProperty("id").GetString() == a.Id);
        }

        // That the reminder is one-shot (it is gone, and later time adds no history) is shown on the fake clock of
        // the grain tier: Coaching.Grains.Tests, AssessmentExpiryTests.

        // Reopened, the due date restarts and it is worked again.
        var reopened = await Ok(floor.AsTrainee().PostAsync($"/v1/assessments/{a.Id}/reopen", null));
        Assert.Equal("InProgress", reopened.GetProperty("state").GetString());
    }

    [Fact]
    public async Task With_close_on_expiry_off_it_stays_open_and_is_marked_overdue()
    {
        var floor = await new CoachingFloor(api, "overdue").SetUp();
        var a = await floor.Create("evt-o-1", duration: TimeSpan.FromSeconds(3), closeOnExpiry: false);
        var trainee = floor.AsTrainee();

        var overdue = await SiloUnderTest.EventuallyAsync(async () =>
        {
            var list = await Ok(trainee.GetAsync($"/v1/trainees/{floor.Trainee}/assessments"));
            return list.GetProperty("items")[0].GetProperty("overdue").GetBoolean();
        }, TimeSpan.FromSeconds(20));
        Assert.True(overdue, "the assessment was not marked overdue");

        var read = await Ok(trainee.GetAsync($"/v1/assessments/{a.Id}"));
        Assert.Equal("New", read.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("closeReason").ValueKind);
        Assert.Equal("overdue", read.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());

        // Still workable: the coach starts and resolves it.
        var coach = floor.AsCoach(floor.AssignedCoach);
        await (await coach.PostAsync($"/v1/assessments/{a.Id}/start", null)).Expect(HttpStatusCode.OK);
        var resolved = await Ok(coach.PostJson($"/v1/assessments/{a.Id}/resolve", new { summary = "Late but done.", rating = "Average", followUp = "-" }));
        Assert.Equal("Resolved", resolved.GetProperty("state").GetString());
    }
}

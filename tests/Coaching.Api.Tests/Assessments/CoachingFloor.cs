using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Coaching.Api.Tests.Assessments;

/// <summary>
/// A small coaching floor written through the directory API: a trainee, two coaches in a coach group, a coach
/// outside it, another trainee, and the two surveys. Every id carries <paramref name="prefix"/> so tests sharing a
/// host do not meet. Assessments are created the way the event pipeline does it: a real call to the grain.
/// </summary>
public sealed class CoachingFloor(CoachingApi api, string prefix)
{
    public string Trainee { get; } = $"{prefix}-trainee";
    public string OtherTrainee { get; } = $"{prefix}-other-trainee";
    public string CoachA { get; } = $"{prefix}-coach-a";
    public string CoachB { get; } = $"{prefix}-coach-b";
    public string Outsider { get; } = $"{prefix}-outsider";
    public string Group { get; } = $"{prefix}-coaches";
    public string TraineeSurvey { get; } = $"{prefix}-trainee-survey";
    public string CoachSurvey { get; } = $"{prefix}-coach-survey";
    public string Opportunity { get; } = $"{prefix}-COP";

    public IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The coach the stable assignment gives the trainee.</summary>
    public string AssignedCoach => CoachAssignment.Choose(Trainee, [CoachA, CoachB])!;

    public string OtherCoach => AssignedCoach == CoachA ? CoachB : CoachA;

    public HttpClient AsTrainee() => api.As(Trainee, ["agent"]);

    public HttpClient AsCoach(string id) => api.As(id, ["coach"]);

    public async Task<CoachingFloor> SetUp()
    {
        var admin = api.Admin();
        foreach (var user in new[] { Trainee, OtherTrainee, CoachA, CoachB, Outsider })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = $"Name of {user}" })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson($"/v1/groups/{Group}", new { displayName = "Coaches", members = new[] { CoachA, CoachB, Trainee } }))
            .Expect(HttpStatusCode.OK);
        await (await admin.PutJson($"/v1/surveys/{TraineeSurvey}", new
        {
            name = "Trainee assessment",
            questions = new object[]
            {
                new { id = "skill", text = "How skilled?", type = "rating" },
                new { id = "care", text = "How caring?", type = "rating" },
                new { id = "remarks", text = "Remarks", type = "text" },
            },
        })).Expect(HttpStatusCode.OK);
        await (await admin.PutJson($"/v1/surveys/{CoachSurvey}", new
        {
            name = "Coach effectiveness",
            questions = new object[] { new { id = "helpful", text = "How helpful?", type = "rating" } },
        })).Expect(HttpStatusCode.OK);
        return this;
    }

    public Task<Assessment> Create(
        string eventId, TimeSpan? duration = null, bool closeOnExpiry = true, CompletionMode completion = CompletionMode.Coach,
        string? trainee = null, string? coachGroup = null, params RecommendedLearning[] virtualItems) =>
        Grains.GetGrain<IAssessmentGrain>(AssessmentIds.For(Opportunity, eventId)).Create(new NewAssessment(
            Opportunity, 1, trainee ?? Trainee, coachGroup ?? Group, new AssessmentSource("incident", "INC-" + eventId, eventId),
            DateTimeOffset.UtcNow, duration ?? TimeSpan.FromDays(5), closeOnExpiry, completion,
            ImmutableDictionary<string, string?>.Empty.Add("resolution_code", "fixed"), null,
            [.. virtualItems], [new RecommendedLearning("Reassignment basics", "https://learn.example/reassign")],
            TraineeSurvey, CoachSurvey));

    public static async Task<JsonElement> Ok(Task<HttpResponseMessage> call) => await (await call).Expect(HttpStatusCode.OK);

    public static string[] Strings(JsonElement array, string property) =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];
}

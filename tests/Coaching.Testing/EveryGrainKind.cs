using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coaching.Testing;

/// <summary>
/// Gives every grain kind that keeps state real state over HTTP (directory, catalogs, an opportunity with its
/// stats, a trainee with an assessment walked to resolved with notes and survey requests, a suggested session
/// that was scheduled, notifications), reads all of it back through the routes users call, and forces Orleans to
/// deactivate every activation, so a test can prove that nothing a user reads depends on a grain staying active.
/// </summary>
public sealed class EveryGrainKind(CoachingApi api, string prefix)
{
    private string Coach => prefix + "-coach";
    private string Coach2 => prefix + "-coach2";
    private string Trainee => prefix + "-trainee";
    private string Supervisor => prefix + "-sup";
    private string Coaches => prefix + "-coaches";
    private string Area => prefix + "-area";
    private string TraineeSurvey => prefix + "-trainee-survey";
    private string CoachSurvey => prefix + "-coach-survey";
    private string Table => prefix + "-incident";
    private string Case => prefix + "-CASE-1";

    private string? opportunityId;
    private string? assessmentId;
    private string? sessionId;

    private HttpClient AsCoach() => api.As(Coach, ["coach"], ["suggestions.view"]);
    private HttpClient AsTrainee() => api.As(Trainee, ["agent"], ["suggestions.view"]);
    private HttpClient AsSupervisor() => api.As(Supervisor, ["supervisor"], ["suggestions.create", "suggestions.view"]);

    /// <summary>
    /// The whole proof on one host: write, read, deactivate every activation, read again, and require the same
    /// answers (with enough activations collected that the second read could not have been served from memory).
    /// </summary>
    public static async Task ReadsBackUnchangedAfterDeactivation(CoachingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var world = new EveryGrainKind(api, "deact");
        await world.Write();
        var before = await world.ReadAll();

        var active = await world.DeactivateEverything();
        Assert.True(active > 10, $"only {active} activations of ours were collected");

        AssertSame(before, await world.ReadAll());
    }

    /// <summary>Writes state into every kind of grain.</summary>
    public async Task Write()
    {
        var admin = api.Admin();
        foreach (var user in new[] { Coach, Coach2, Trainee, Supervisor })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = "Name of " + user, email = user + "@example.test" })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson($"/v1/groups/{Coaches}", new { displayName = "Coaches", members = new[] { Coach, Coach2 } })).Expect(HttpStatusCode.OK);
        await (await admin.PutJson($"/v1/coaching-areas/{Area}", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
        foreach (var survey in new[] { TraineeSurvey, CoachSurvey })
        {
            await (await admin.PutJson($"/v1/surveys/{survey}", new { name = survey, questions = new[] { new { id = "q1", text = "How was it?", type = "rating" } } }))
                .Expect(HttpStatusCode.OK);
        }

        var opportunity = await (await admin.PostJson("/v1/opportunities", new Dictionary<string, object?>
        {
            ["name"] = "Reassignments",
            ["active"] = true,
            ["sourceTable"] = Table,
            ["traineeField"] = "assigned_to",
            ["coachGroup"] = Coaches,
            ["moment"] = new { all = new[] { new { field = "assigned_to", @operator = "changes" } } },
            ["snapshotFields"] = new[] { "number", "resolution_code" },
            ["captureScript"] = "return { moved: previous.assigned_to + ' -> ' + current.assigned_to };",
            ["randomSamplePercent"] = 100,
            ["assessmentDuration"] = "P5D",
            ["traineeSurvey"] = TraineeSurvey,
            ["coachSurvey"] = CoachSurvey,
            ["recommendedLearnings"] = new[] { new { title = "Reassignment etiquette", url = "https://learn.example.test/reassign" } },
            ["completion"] = "coach",
        })).Expect(HttpStatusCode.Created);
        opportunityId = opportunity.GetProperty("id").GetString();

        // The first event creates the assessment; later ones land in the stats as other outcomes.
        JsonElement answer = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            answer = await (await api.Integration().PostJson("/v1/events", Reassignment($"{prefix}-evt-{attempt}"))).Expect(HttpStatusCode.OK);
            var created = answer.GetProperty("outcomes").EnumerateArray().FirstOrDefault(o => o.TryGetProperty("assessmentId", out var id) && id.ValueKind == JsonValueKind.String);
            if (created.ValueKind == JsonValueKind.Object)
            {
                assessmentId = created.GetProperty("assessmentId").GetString();
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(assessmentId is not null, "no assessment was created: " + answer);
        await (await api.Integration().PostJson("/v1/events", Reassignment($"{prefix}-evt-duplicate"))).Expect(HttpStatusCode.OK);

        // The stats count an event as its answer is stored: both matched events are counted once they are answered.
        Assert.Equal(2, (await (await admin.GetAsync($"/v1/opportunities/{opportunityId}/stats")).Expect(HttpStatusCode.OK)).GetProperty("eventsMatched").GetInt32());

        var url = $"/v1/assessments/{assessmentId}";
        var assigned = (await (await AsTrainee().GetAsync(url)).Expect(HttpStatusCode.OK)).GetProperty("coach").GetString();
        var coach = api.As(assigned!, ["coach"]);
        await (await coach.PostAsync($"{url}/start", null)).Expect(HttpStatusCode.OK);
        await (await coach.PostJson($"{url}/notes", new { text = "Walked through the rules." })).Expect(HttpStatusCode.OK);
        await (await AsTrainee().PostJson($"{url}/notes", new { text = "Understood." })).Expect(HttpStatusCode.OK);
        await (await coach.PostJson($"{url}/resolve", new { summary = "Good grasp.", rating = "Good", followUp = "Check in a week." })).Expect(HttpStatusCode.OK);

        var session = await (await AsSupervisor().PostJson("/v1/sessions", new
        {
            title = "Empathy on escalations",
            coach = new { type = "user", id = Coach },
            trainees = new[] { new { type = "user", id = Trainee } },
            coachingArea = Area,
            referenceCases = new[] { Case },
        })).Expect(HttpStatusCode.Created);
        sessionId = session.GetProperty("id").GetString();
        await (await AsCoach().PostJson($"/v1/sessions/{sessionId}/schedule", new { scheduledAt = DateTimeOffset.UtcNow.AddDays(1), durationMinutes = 30 }))
            .Expect(HttpStatusCode.OK);
    }

    /// <summary>Everything <see cref="Write"/> stored, as the JSON each route answers, by route and reader.</summary>
    public async Task<SortedDictionary<string, string>> ReadAll()
    {
        var admin = api.Admin();
        var coach = AsCoach();
        var trainee = AsTrainee();
        var supervisor = AsSupervisor();
        (HttpClient Client, string Who, string Path)[] reads =
        [
            (admin, "admin", $"/v1/users/{Coach}"),
            (admin, "admin", $"/v1/users/{Trainee}"),
            (admin, "admin", $"/v1/groups/{Coaches}"),
            (admin, "admin", "/v1/coaching-areas"),
            (admin, "admin", $"/v1/surveys/{TraineeSurvey}"),
            (admin, "admin", $"/v1/opportunities/{opportunityId}"),
            (admin, "admin", $"/v1/opportunities/{opportunityId}/stats"),
            (admin, "admin", $"/v1/assessments/{assessmentId}"),
            (trainee, "trainee", $"/v1/assessments/{assessmentId}"),
            (admin, "admin", $"/v1/coach-groups/{Coaches}/assessments"),
            (admin, "admin", $"/v1/trainees/{Trainee}/assessments"),
            (trainee, "trainee", "/v1/me/surveys"),
            (trainee, "trainee", "/v1/me/notifications?limit=200"),
            (coach, "coach", "/v1/me/notifications?limit=200"),
            (coach, "coach", $"/v1/sessions/{sessionId}"),
            (coach, "coach", "/v1/me/coaching-sessions"),
            (supervisor, "supervisor", "/v1/me/suggested-sessions"),
            (supervisor, "supervisor", $"/v1/agents/{Trainee}/sessions"),
            (supervisor, "supervisor", $"/v1/cases/{Case}/sessions"),
        ];

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (client, who, path) in reads)
        {
            var body = await (await client.GetAsync(path)).Expect(HttpStatusCode.OK);
            result[$"{who} {path}"] = JsonSerializer.Serialize(body);
        }

        // Each list holds what was written, so an empty answer after deactivation cannot pass as equal.
        Assert.Contains(assessmentId!, result[$"admin /v1/trainees/{Trainee}/assessments"], StringComparison.Ordinal);
        Assert.Contains(sessionId!, result[$"supervisor /v1/cases/{Case}/sessions"], StringComparison.Ordinal);
        Assert.Contains("session-scheduled", result["trainee /v1/me/notifications?limit=200"], StringComparison.Ordinal);
        Assert.Contains("Understood.", result[$"trainee /v1/assessments/{assessmentId}"], StringComparison.Ordinal);
        return result;
    }

    /// <summary>Each route answers exactly what it answered before; a difference names the route.</summary>
    private static void AssertSame(SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (read, text) in before)
        {
            Assert.True(text == after[read], $"{read} changed\nbefore: {text}\nafter:  {after[read]}");
        }
    }

    /// <summary>
    /// Deactivates every activation in the cluster (as Orleans' idle collection would after its collection age) and
    /// waits until no grain of ours is active; returns how many of ours were active before.
    /// </summary>
    public async Task<int> DeactivateEverything()
    {
        var management = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var before = await ActiveOfOurs(management);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ActiveOfOurs(management) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "our grains were still active 30 s after a forced collection");
            await Task.Delay(100);
            await management.ForceActivationCollection(TimeSpan.Zero);
        }

        return before;
    }

    private static async Task<int> ActiveOfOurs(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.StartsWith("Coaching.", StringComparison.Ordinal) && !s.GrainType.Contains("Worker", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);

    private object Reassignment(string eventId) => new
    {
        eventId,
        table = Table,
        recordId = "INC-" + prefix,
        occurredAt = "2026-11-20T10:00:00Z",
        fields = new Dictionary<string, object?> { ["number"] = "INC-" + prefix, ["assigned_to"] = Trainee, ["resolution_code"] = "fixed" },
        previous = new Dictionary<string, object?> { ["assigned_to"] = prefix + "-someone" },
    };
}

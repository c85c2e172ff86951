using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Api.Tests.Pipeline;

/// <summary>Directory entries and opportunities for pipeline tests, each under a test's own prefix and table.</summary>
public sealed class SeedData(CoachingApi api, string prefix)
{
    public string Prefix => prefix;

    public string Table => prefix + "-incident";

    public string Trainee => prefix + "-u17";

    public string PreviousAssignee => prefix + "-u42";

    public string CoachGroup => prefix + "-coaches";

    public string[] Coaches => [prefix + "-coach-a", prefix + "-coach-b"];

    public string AlwaysCoached => prefix + "-new-hire";

    public async Task Directory()
    {
        var admin = api.Admin();
        foreach (var user in new[] { Trainee, PreviousAssignee, AlwaysCoached }.Concat(Coaches))
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson($"/v1/groups/{CoachGroup}", new { displayName = "Coaches", members = Coaches })).Expect(HttpStatusCode.OK);
        foreach (var survey in new[] { prefix + "-trainee-assessment", prefix + "-coach-effectiveness" })
        {
            await (await admin.PutJson($"/v1/surveys/{survey}", new { name = survey, questions = new[] { new { id = "q1", text = "How was it?", type = "rating" } } }))
                .Expect(HttpStatusCode.OK);
        }
    }

    /// <summary>The seed's example opportunity of API.md, on this test's table, with overrides.</summary>
    public Dictionary<string, object?> Opportunity(Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Incident Process: Coaching on Incident Reassignment",
            ["description"] = "Coach agents whose incidents get reassigned.",
            ["active"] = true,
            ["sourceTable"] = Table,
            ["traineeField"] = "assigned_to",
            ["traineeGroup"] = null,
            ["coachGroup"] = CoachGroup,
            ["moment"] = new { all = new[] { new { field = "assigned_to", @operator = "changes" } } },
            ["snapshotFields"] = new[] { "resolution_code", "resolution_notes", "work_notes" },
            ["captureScript"] = null,
            ["randomSamplePercent"] = 100,
            ["alwaysCoach"] = new[] { AlwaysCoached },
            ["assessmentDuration"] = "P5D",
            ["closeOnExpiry"] = true,
            ["preventDuplicates"] = true,
            ["duplicateWindow"] = "P1D",
            ["traineeSurvey"] = prefix + "-trainee-assessment",
            ["coachSurvey"] = prefix + "-coach-effectiveness",
            ["improvementKpi"] = "Number of reassigned open incidents",
            ["strategicObjective"] = "Retrofit Staffing to include more global logistics",
            ["recommendedLearnings"] = new[] { new { title = "Reassignment etiquette", url = "https://learn.example.test/reassign" } },
            ["completion"] = "coach",
            ["virtualCoachItems"] = Array.Empty<object>(),
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>Creates the opportunity (every silo applies it to the events sent after the answer); returns its id.</summary>
    public async Task<string> CreateOpportunity(Action<Dictionary<string, object?>>? change = null)
    {
        var created = await (await api.Admin().PostJson("/v1/opportunities", Opportunity(change))).Expect(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>A reassignment of a record from <see cref="PreviousAssignee"/> to <paramref name="assignee"/>.</summary>
    public object Reassignment(string eventId, string? assignee = null, string? recordId = null) => new
    {
        eventId,
        table = Table,
        recordId = recordId ?? "INC" + eventId,
        occurredAt = "2026-11-20T10:00:00Z",
        fields = new Dictionary<string, object?>
        {
            ["assigned_to"] = assignee ?? Trainee,
            ["resolution_code"] = "fixed",
            ["resolution_notes"] = "Restarted the service",
            ["work_notes"] = "Checked the logs first",
            ["priority"] = 2,
        },
        previous = new Dictionary<string, object?> { ["assigned_to"] = PreviousAssignee },
    };

    public static IReadOnlyList<(string OpportunityId, string Outcome, string? AssessmentId)> Outcomes(JsonElement answer) =>
        [.. answer.GetProperty("outcomes").EnumerateArray().Select(o => (
            o.GetProperty("opportunityId").GetString()!,
            o.GetProperty("outcome").GetString()!,
            o.TryGetProperty("assessmentId", out var id) ? id.GetString() : null))];
}

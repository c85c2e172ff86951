using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Console.Tests;

/// <summary>
/// A test's own corner of the directory, arranged over /v1 as an admin: a trainee, another agent, a coach group with
/// one coach (so the assignment is known before the event), a coach outside it, and opportunities on the test's own
/// table, so events of other tests never reach them.
/// </summary>
public sealed class AssessmentArrangement(CoachingApi api, string prefix)
{
    public string Table => prefix + "-incident";

    public string Trainee => prefix + "-agent";

    public string OtherAgent => prefix + "-agent2";

    public string PreviousAssignee => prefix + "-prev";

    public string Coach => prefix + "-coach";

    public string OutsideCoach => prefix + "-outsider";

    public string CoachGroup => prefix + "-coaches";

    public static async Task<AssessmentArrangement> Create(CoachingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var arrangement = new AssessmentArrangement(api, "t" + Guid.NewGuid().ToString("N")[..10]);
        await arrangement.Directory();
        return arrangement;
    }

    private async Task Directory()
    {
        var admin = api.Admin();
        foreach (var user in new[] { Trainee, OtherAgent, PreviousAssignee, Coach, OutsideCoach })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson($"/v1/groups/{CoachGroup}", new { displayName = "Coaches " + prefix, members = new[] { Coach } })).Expect(HttpStatusCode.OK);
    }

    /// <summary>An opportunity on this test's table: coach mode, or virtual with <paramref name="learningTasks"/> as its coach items.</summary>
    public async Task<string> Opportunity(string completion = "coach", params string[] learningTasks)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = $"Reassignments {prefix} ({completion})",
            ["description"] = "Coach agents whose incidents get reassigned.",
            ["active"] = true,
            ["sourceTable"] = Table,
            ["traineeField"] = "assigned_to",
            ["traineeGroup"] = null,
            ["coachGroup"] = CoachGroup,
            ["moment"] = new { all = new[] { new { field = "assigned_to", @operator = "changes" } } },
            ["snapshotFields"] = new[] { "resolution_code", "work_notes" },
            ["captureScript"] = null,
            ["randomSamplePercent"] = 100,
            ["alwaysCoach"] = Array.Empty<string>(),
            ["assessmentDuration"] = "P5D",
            ["closeOnExpiry"] = true,
            ["preventDuplicates"] = false,
            ["duplicateWindow"] = "P1D",
            ["traineeSurvey"] = "trainee-assessment",
            ["coachSurvey"] = "coach-effectiveness",
            ["improvementKpi"] = "Number of reassigned open incidents",
            ["strategicObjective"] = "Fewer reassignments",
            ["recommendedLearnings"] = new[] { new { title = "Reassignment etiquette", url = "https://learn.example.test/reassign" } },
            ["completion"] = completion,
            ["virtualCoachItems"] = learningTasks.Select(t => new { title = t, url = (string?)null }).ToArray(),
        };
        var created = await (await api.Admin().PostJson("/v1/opportunities", body)).Expect(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>Posts a reassignment of a record to the trainee as the integration; answers the ids of the assessments it created.</summary>
    public async Task<IReadOnlyList<string>> Event(string name)
    {
        var answer = await (await api.Integration().PostJson("/v1/events", new
        {
            eventId = $"{prefix}-{name}",
            table = Table,
            recordId = $"INC-{prefix}-{name}",
            occurredAt = "2026-11-20T10:00:00Z",
            fields = new Dictionary<string, object?>
            {
                ["assigned_to"] = Trainee,
                ["resolution_code"] = "reassigned",
                ["work_notes"] = "Passed on to the network team",
            },
            previous = new Dictionary<string, object?> { ["assigned_to"] = PreviousAssignee },
        })).Expect(HttpStatusCode.OK);
        var outcomes = answer.GetProperty("outcomes").EnumerateArray().ToList();
        Assert.All(outcomes, o => Assert.Equal("created", o.GetProperty("outcome").GetString()));
        return [.. outcomes.Select(o => o.GetProperty("assessmentId").GetString()!)];
    }

    /// <summary>The assessment as an admin reads it over /v1.</summary>
    public async Task<JsonElement> Read(string assessmentId) =>
        await (await api.Admin().GetAsync($"/v1/assessments/{assessmentId}")).Expect(HttpStatusCode.OK);

    public HttpClient AsCoach() => api.As(Coach, ["coach"]);

    public HttpClient AsTrainee() => api.As(Trainee, ["agent"]);
}

/// <summary>The signed-in pages a test opened; closed when the test ends, so their circuits stop refreshing for the tests after it.</summary>
public sealed class OpenPages(ConsoleFixture console) : IAsyncLifetime
{
    private readonly List<Microsoft.Playwright.IPage> pages = [];

    public async Task<Microsoft.Playwright.IPage> SignedIn(string user, string[] roles, int width = 1280, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(console);
        var page = await console.SignedIn(user, roles, null, width, height);
        pages.Add(page);
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }
}

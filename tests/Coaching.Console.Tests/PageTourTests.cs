using System.Net.Http.Json;
using System.Text.Json;
using Coaching.Api.Web;
using Coaching.Testing;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

/// <summary>
/// Every page of CONSOLE.md's table, opened by each demo role that may open it: it renders its heading, axe finds no
/// serious or critical violation, nothing scrolls sideways on a phone, and the main pages are photographed at desktop
/// and phone width into docs/console/ (the pictures of docs/console.md).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PageTourTests(ConsoleFixture console)
{
    private static readonly string[] SessionPermissions = ["suggestions.view", "suggestions.create"];

    public static TheoryData<string> Roles => new() { "coach", "supervisor", "agent", "admin" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_page_a_role_may_open_renders_and_passes_axe(string role)
    {
        var world = await Tour.Arrange(console.Api);
        var (user, roles, permissions, pages) = role switch
        {
            "coach" => (world.Coach, new[] { "coach" }, new[] { "suggestions.view" }, new[]
            {
                ("coach-home", "/"), ("assessment", $"/assessments/{world.AssessmentId}"), ("session-coach", $"/sessions/{world.SessionId}"),
                ("agent", $"/agents/{world.Trainee}"), ("case", $"/cases/{world.CaseId}"), ("inbox", "/inbox"),
            }),
            "supervisor" => (Demo.Supervisor, new[] { "supervisor" }, SessionPermissions, new[]
            {
                ("supervisor-home", "/"), ("session-new", $"/sessions/new?agent={world.Trainee}"), ("session", $"/sessions/{world.SessionId}"),
                ("agent-supervisor", $"/agents/{world.Trainee}"), ("case-supervisor", $"/cases/{world.CaseId}"), ("inbox-supervisor", "/inbox"),
            }),
            "agent" => (world.Trainee, new[] { "agent" }, new[] { "suggestions.view" }, new[]
            {
                ("agent-home", "/"), ("assessment-agent", $"/assessments/{world.AssessmentId}"), ("session-agent", $"/sessions/{world.SessionId}"), ("inbox-agent", "/inbox"),
            }),
            _ => (Demo.Admin, new[] { "coaching.admin" }, Array.Empty<string>(), new[]
            {
                ("admin-home", "/"), ("opportunity-new", "/opportunities/new"), ("opportunity", $"/opportunities/{world.OpportunityId}"),
                ("opportunity-stats", $"/opportunities/{world.OpportunityId}/stats"), ("inbox-admin", "/inbox"),
            }),
        };

        foreach (var (width, height, size) in new[] { (1280, 800, "desktop"), (390, 844, "phone") })
        {
            var page = await console.SignedIn(user, roles, permissions, width, height);
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.Locator("main h1").First).ToBeVisibleAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await Accessibility.AssertNoSeriousViolations(page);
                var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
                Assert.False(overflow, $"{path} scrolls sideways at {width} px as {role}");
                await page.ScreenshotAsync(new() { Path = Tour.Picture(name, size), FullPage = false });
            }

            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_sign_in_page_is_photographed_and_passes_axe()
    {
        foreach (var (width, height, size) in new[] { (1280, 800, "desktop"), (390, 844, "phone") })
        {
            var page = await console.NewPage(width, height);
            await page.GotoAsync("/signin");
            await Accessibility.AssertNoSeriousViolations(page);
            await page.ScreenshotAsync(new() { Path = Tour.Picture("signin", size) });
            await page.Context.CloseAsync();
        }
    }
}

/// <summary>The objects the tour shows: an assessment of a demo agent, a session suggested for it, a case.</summary>
public sealed record Tour(string AssessmentId, string Coach, string Trainee, string SessionId, string CaseId, string OpportunityId)
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static Tour? arranged;

    public static async Task<Tour> Arrange(CoachingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        await Once.WaitAsync();
        try
        {
            return arranged ??= await Create(api);
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task<Tour> Create(CoachingApi api)
    {
        var trainee = Demo.TeamRed[0];
        var caseId = "INC" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var answer = await Read(await api.Integration().PostAsJsonAsync("/v1/events", new
        {
            eventId = "tour-" + caseId,
            table = Demo.Table,
            recordId = caseId,
            occurredAt = DateTimeOffset.UtcNow,
            fields = new Dictionary<string, string> { ["assigned_to"] = trainee, ["resolution_code"] = "reassigned", ["resolution_notes"] = "Passed on", ["work_notes"] = "Checked the queue" },
            previous = new Dictionary<string, string> { ["assigned_to"] = Demo.TeamRed[1] },
        }));
        var outcome = answer.GetProperty("outcomes").EnumerateArray().Single();
        var opportunityId = outcome.GetProperty("opportunityId").GetString()!;
        // Another test may have given this agent an assessment within the demo's one-minute duplicate window: then the
        // tour shows that one.
        var assessmentId = outcome.TryGetProperty("assessmentId", out var created)
            ? created.GetString()!
            : (await Read(await api.Admin().GetAsync($"/v1/trainees/{trainee}/assessments?limit=1"))).GetProperty("items")[0].GetProperty("id").GetString()!;
        var assessment = await Read(await api.Admin().GetAsync($"/v1/assessments/{assessmentId}"));
        var coach = assessment.GetProperty("coach").GetString()!;
        var supervisor = api.As(Demo.Supervisor, ["supervisor"], ["suggestions.view", "suggestions.create"]);
        var session = await Read(await supervisor.PostAsJsonAsync("/v1/sessions", new
        {
            title = "Reassignment habits",
            coach = new { type = "user", id = coach },
            trainees = new[] { new { type = "user", id = trainee } },
            coachingArea = "incident-process",
            expiresAt = DateTimeOffset.UtcNow.AddDays(30),
            referenceCases = new[] { caseId },
        }));
        return new Tour(assessmentId, coach, trainee, session.GetProperty("id").GetString()!, caseId, opportunityId);
    }

    private static async Task<JsonElement> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>docs/console/&lt;name&gt;-&lt;size&gt;.png in the repository.</summary>
    public static string Picture(string name, string size)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coaching.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "console", $"{name}-{size}.png");
            }
        }

        throw new InvalidOperationException("Coaching.sln not found above the test's directory.");
    }
}

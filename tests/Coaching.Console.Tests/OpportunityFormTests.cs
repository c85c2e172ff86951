using System.Net;
using System.Text.RegularExpressions;
using Coaching.Testing;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed partial class OpportunityFormTests(ConsoleFixture console)
{
    private static readonly string[] AdminRole = ["coaching.admin"];

    /// <summary>A page's first render waits for its circuit, slow on a busy machine with a cold host.</summary>
    private const float FirstLoad = 15_000;

    [Fact]
    public async Task An_admin_builds_the_seed_opportunity_in_the_form_an_event_creates_an_assessment_and_the_stats_count_it()
    {
        var p = "of" + Guid.NewGuid().ToString("N")[..8];
        var table = $"{p}-incident";
        var coach = $"{p}-coach";
        var trainee = $"{p}-agent";
        var admin = console.Api.Admin();
        (await admin.PutJson($"/v1/users/{coach}", new { displayName = "Form Coach" })).EnsureSuccessStatusCode();
        (await admin.PutJson($"/v1/users/{trainee}", new { displayName = "Form Agent" })).EnsureSuccessStatusCode();
        (await admin.PutJson($"/v1/groups/{p}-coaches", new { displayName = "Form coaches", members = new[] { coach } })).EnsureSuccessStatusCode();

        var page = await console.SignedIn("admin", AdminRole);
        await page.GotoAsync("/opportunities/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New opportunity", Exact = true })).ToBeVisibleAsync(new() { Timeout = FirstLoad });
        await Accessibility.AssertNoSeriousViolations(page);

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Reassignment coaching {p}");
        await page.GetByLabel("Description", new() { Exact = true }).FillAsync("Coach agents whose incidents get reassigned.");
        await page.GetByLabel("Source table", new() { Exact = true }).FillAsync(table);
        await page.GetByLabel("Trainee field", new() { Exact = true }).FillAsync("assigned_to");
        await page.GetByLabel("Coach group", new() { Exact = true }).FillAsync($"{p}-coaches");

        // First a moment and a script the server refuses: the refusal shows on each field and nothing typed is lost.
        await page.GetByLabel("Condition 1 Field", new() { Exact = true }).FillAsync("priority");
        await page.GetByLabel("Condition 1 Operator", new() { Exact = true }).SelectOptionAsync("greater_than");
        await page.GetByLabel("Condition 1 Value", new() { Exact = true }).FillAsync("high");
        await page.GetByLabel("Capture script", new() { Exact = true }).FillAsync("return {");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var conditionAlert = page.Locator("[role=alert][data-field='moment.all[0]']");
        await Assertions.Expect(conditionAlert).ToContainTextAsync("needs a number");
        var scriptAlert = page.Locator("[role=alert][data-field='captureScript']");
        await Assertions.Expect(scriptAlert).ToContainTextAsync("capture script");
        await Assertions.Expect(page.Locator("[role=alert][data-code='invalid-condition']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync($"Reassignment coaching {p}");
        await Assertions.Expect(page.GetByLabel("Condition 1 Value", new() { Exact = true })).ToHaveValueAsync("high");
        await Assertions.Expect(page.GetByLabel("Condition 1 Operator", new() { Exact = true })).ToHaveValueAsync("greater_than");
        await Assertions.Expect(page.GetByLabel("Capture script", new() { Exact = true })).ToHaveValueAsync("return {");
        await Assertions.Expect(page.GetByLabel("Coach group", new() { Exact = true })).ToHaveValueAsync($"{p}-coaches");
        await Accessibility.AssertNoSeriousViolations(page);

        // Then the seed's opportunity: assigned_to changes, snapshot fields, 100 %, five days, the surveys.
        await page.GetByLabel("Condition 1 Field", new() { Exact = true }).FillAsync("assigned_to");
        await page.GetByLabel("Condition 1 Operator", new() { Exact = true }).SelectOptionAsync("changes");
        await Assertions.Expect(page.GetByLabel("Condition 1 Value", new() { Exact = true })).ToBeDisabledAsync();
        await page.GetByLabel("Capture script", new() { Exact = true }).FillAsync("return { priorityAtMoment: current.priority };");
        await page.GetByLabel("Snapshot fields", new() { Exact = true }).FillAsync("resolution_code, resolution_notes, work_notes");
        await page.GetByLabel("Random sample %", new() { Exact = true }).FillAsync("100");
        await page.GetByLabel("Assessment duration", new() { Exact = true }).FillAsync("P5D");
        await page.GetByLabel("Prevent duplicates", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Duplicate window", new() { Exact = true }).FillAsync("P1D");
        await page.GetByLabel("Trainee survey", new() { Exact = true }).FillAsync("trainee-assessment");
        await page.GetByLabel("Coach survey", new() { Exact = true }).FillAsync("coach-effectiveness");
        await page.GetByLabel("Improvement KPI", new() { Exact = true }).FillAsync("Number of reassigned open incidents");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add learning", Exact = true }).ClickAsync();
        await page.GetByLabel("Learning 1 Title", new() { Exact = true }).FillAsync("Reassignment etiquette");
        await page.GetByLabel("Learning 1 URL", new() { Exact = true }).FillAsync("https://learn.example.test/reassign");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("saved")).ToContainTextAsync("Created COP");
        await Assertions.Expect(page).ToHaveURLAsync(OpportunityUrl());
        var id = OpportunityUrl().Match(page.Url).Groups[1].Value;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Opportunity {id}", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Snapshot fields", new() { Exact = true })).ToHaveValueAsync("resolution_code, resolution_notes, work_notes");

        var stored = await (await admin.GetAsync($"/v1/opportunities/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(table, stored.GetProperty("sourceTable").GetString());
        Assert.Equal("changes", stored.GetProperty("moment").GetProperty("all")[0].GetProperty("operator").GetString());
        Assert.Equal("P5D", stored.GetProperty("assessmentDuration").GetString());
        Assert.Equal("coach-effectiveness", stored.GetProperty("coachSurvey").GetString());
        Assert.Equal(100, stored.GetProperty("randomSamplePercent").GetDouble());

        var answer = await (await console.Api.Integration().PostJson("/v1/events", new
        {
            eventId = $"{p}-evt-1",
            table,
            recordId = $"{p}-INC1",
            occurredAt = DateTimeOffset.UtcNow,
            fields = new Dictionary<string, string> { ["assigned_to"] = trainee, ["resolution_code"] = "reassigned", ["priority"] = "2" },
            previous = new Dictionary<string, string> { ["assigned_to"] = coach },
        })).Expect(HttpStatusCode.OK);
        var outcome = answer.GetProperty("outcomes").EnumerateArray().Single(o => o.GetProperty("opportunityId").GetString() == id);
        Assert.Equal("created", outcome.GetProperty("outcome").GetString());

        await page.GetByRole(AriaRole.Link, new() { Name = "Stats", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Stats of {id}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-stat=created]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-stat=events-matched]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Assessments by state" }).Locator("tr[data-state=New] td").Nth(1)).ToHaveTextAsync("1");
        await Accessibility.AssertNoSeriousViolations(page);

        // Live: a second matching event is counted on the open stats page.
        (await console.Api.Integration().PostJson("/v1/events", new
        {
            eventId = $"{p}-evt-2",
            table,
            recordId = $"{p}-INC2",
            occurredAt = DateTimeOffset.UtcNow,
            fields = new Dictionary<string, string> { ["assigned_to"] = trainee },
            previous = new Dictionary<string, string> { ["assigned_to"] = coach },
        })).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("[data-stat=events-matched]")).ToHaveTextAsync("2", new() { Timeout = 2000 });
        await Assertions.Expect(page.Locator("tr[data-outcome=suppressed-duplicate] td").Nth(1)).ToHaveTextAsync("1", new() { Timeout = 2000 });

        await page.GotoAsync("/");
        var row = page.Locator($"tr[data-opportunity={id}]");
        await Assertions.Expect(row).ToContainTextAsync(table);
        await Assertions.Expect(row.Locator("[data-stat=created]")).ToHaveTextAsync("1");
        await Accessibility.AssertNoSeriousViolations(page);
    }

    [Fact]
    public async Task The_edit_page_shows_the_stored_opportunity_keeps_a_refused_edit_and_deactivates_it()
    {
        var p = "oe" + Guid.NewGuid().ToString("N")[..8];
        var admin = console.Api.Admin();
        var created = await (await admin.PostJson("/v1/opportunities", new
        {
            name = $"Edit me {p}",
            sourceTable = $"{p}-case",
            traineeField = "owner",
            coachGroup = "coaches",
            moment = new { any = new object[] { new { field = "state", @operator = "changes_to", value = "closed" }, new { all = new object[] { new { field = "priority", @operator = "less_than", value = 2 } } } } },
            assessmentDuration = "PT12H",
        })).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;

        var page = await console.SignedIn("admin", AdminRole, width: 390, height: 844);
        await page.GotoAsync($"/opportunities/{id}");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync($"Edit me {p}", new() { Timeout = FirstLoad });
        await Assertions.Expect(page.GetByLabel("Match", new() { Exact = true })).ToHaveValueAsync("any");
        await Assertions.Expect(page.GetByLabel("Condition 1 Operator", new() { Exact = true })).ToHaveValueAsync("changes_to");
        await Assertions.Expect(page.GetByLabel("Condition 2.1 Field", new() { Exact = true })).ToHaveValueAsync("priority");
        await Assertions.Expect(page.GetByLabel("Condition 2.1 Value", new() { Exact = true })).ToHaveValueAsync("2");
        await Assertions.Expect(page.GetByText("(= 12 hours)")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal page scroll at 390 wide");
        await Accessibility.AssertNoSeriousViolations(page);

        // An unknown coach group and an empty nested group: refused on their fields, the edit kept.
        await page.GetByLabel("Coach group", new() { Exact = true }).FillAsync($"{p}-nobody");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove condition 2.1", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert][data-field='coachGroup']")).ToContainTextAsync($"{p}-nobody");
        await Assertions.Expect(page.Locator("[role=alert][data-field='moment.any[1].all']")).ToContainTextAsync("at least one condition");
        await Assertions.Expect(page.GetByLabel("Coach group", new() { Exact = true })).ToHaveValueAsync($"{p}-nobody");

        await page.GetByLabel("Coach group", new() { Exact = true }).FillAsync("coaches");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove group 2", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToContainTextAsync("version 2");

        await page.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Activate", Exact = true })).ToBeVisibleAsync();
        var stored = await (await admin.GetAsync($"/v1/opportunities/{id}")).Expect(HttpStatusCode.OK);
        Assert.False(stored.GetProperty("active").GetBoolean());
        Assert.Single(stored.GetProperty("moment").GetProperty("any").EnumerateArray());

        // The stats page fits the phone too; the admin home is checked by axe at that width.
        await page.GetByRole(AriaRole.Link, new() { Name = "Stats", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Outcomes" })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal page scroll on the stats page at 390 wide");
        await Accessibility.AssertNoSeriousViolations(page);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator($"tr[data-opportunity={id}]")).ToContainTextAsync("Inactive");
        await Accessibility.AssertNoSeriousViolations(page);
    }

    [Fact]
    public async Task Opportunity_pages_are_for_coaching_admins_only()
    {
        var page = await console.SignedIn(Coaching.Api.Web.Demo.Coaches[0], ["coach"]);
        await page.GotoAsync("/opportunities/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not available" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"/opportunities/(COP\d{7})$")]
    private static partial Regex OpportunityUrl();
}

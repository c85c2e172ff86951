using Coaching.Api.Web;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

/// <summary>SPEC B's five validation rules, each tried in the console's forms: its sentence in role="alert", and what was typed kept.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SessionValidationTests(ConsoleFixture console)
{
    // Placeholders: {sup} the supervisor, {coach} a coach, {agent} an agent, {coaches} the coach group (coach and a second
    // coach), {suponly} a group whose only member is the supervisor.
    [Theory]
    [InlineData("supervisor-as-participant", "{sup}", "{agent}")]
    [InlineData("supervisor-as-participant", "{coach}", "{agent}, {sup}")]
    [InlineData("coach-trainee-overlap", "{coach}", "{agent}, {coach}")]
    [InlineData("coach-trainee-overlap", "{coach}", "{agent}, group:{coaches}")]
    [InlineData("supervisor-only-coach-member", "group:{suponly}", "{agent}")]
    [InlineData("supervisor-only-trainee-member", "{coach}", "{agent}, group:{suponly}")]
    public async Task The_suggest_form_refuses_in_words_and_keeps_what_was_typed(string code, string coachTemplate, string traineesTemplate)
    {
        var org = await SessionOrg.Create(console.Api);
        var coach = Fill(org, coachTemplate);
        var trainees = Fill(org, traineesTemplate);
        var title = $"Refused {code} {org.Prefix}";
        var page = await console.NewPage();
        await ConsoleFixture.SignIn(page, org.Supervisor, SessionOrg.SupervisorRoles, SessionOrg.Both, "/sessions/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Coach", new() { Exact = true }).FillAsync(coach);
        await page.GetByLabel("Trainees", new() { Exact = true }).FillAsync(trainees);
        await page.GetByLabel("Coaching area", new() { Exact = true }).SelectOptionAsync(SessionOrg.Area);
        await page.GetByLabel("Reference cases", new() { Exact = true }).FillAsync(org.Case);
        var expiry = await page.GetByLabel("Expiry", new() { Exact = true }).InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Suggest", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = Sentences.ForCode(code, "") })).ToBeVisibleAsync();
        Assert.EndsWith("/sessions/new", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync(title);
        await Assertions.Expect(page.GetByLabel("Coach", new() { Exact = true })).ToHaveValueAsync(coach);
        await Assertions.Expect(page.GetByLabel("Trainees", new() { Exact = true })).ToHaveValueAsync(trainees);
        await Assertions.Expect(page.GetByLabel("Coaching area", new() { Exact = true })).ToHaveValueAsync(SessionOrg.Area);
        await Assertions.Expect(page.GetByLabel("Reference cases", new() { Exact = true })).ToHaveValueAsync(org.Case);
        await Assertions.Expect(page.GetByLabel("Expiry", new() { Exact = true })).ToHaveValueAsync(expiry);
        await Accessibility.AssertNoSeriousViolations(page);
    }

    [Fact]
    public async Task The_coach_cannot_select_the_supervisor_when_scheduling_and_keeps_what_was_typed()
    {
        var org = await SessionOrg.Create(console.Api);
        var title = "Schedule refused " + org.Prefix;
        var id = await org.Suggest(console.Api, title, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)]);
        var page = await console.NewPage();
        await ConsoleFixture.SignIn(page, org.Coach, ["coach"], SessionOrg.View, $"/sessions/{id}");
        var trainees = $"{org.Agent1}, {org.Supervisor}";
        await page.GetByLabel("Trainees", new() { Exact = true }).FillAsync(trainees);
        await page.GetByLabel("Duration (minutes)", new() { Exact = true }).FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = Sentences.ForCode("coach-selected-supervisor", "") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Trainees", new() { Exact = true })).ToHaveValueAsync(trainees);
        await Assertions.Expect(page.GetByLabel("Duration (minutes)", new() { Exact = true })).ToHaveValueAsync("50");
        await Assertions.Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync(title);
        await Assertions.Expect(page.GetByTestId("session-state")).ToHaveTextAsync("Suggested");
        await Accessibility.AssertNoSeriousViolations(page);
    }

    private static string Fill(SessionOrg org, string template) => template
        .Replace("{sup}", org.Supervisor, StringComparison.Ordinal)
        .Replace("{coaches}", org.CoachGroup, StringComparison.Ordinal)
        .Replace("{coach}", org.Coach, StringComparison.Ordinal)
        .Replace("{agent}", org.Agent1, StringComparison.Ordinal)
        .Replace("{suponly}", org.SupervisorOnly, StringComparison.Ordinal);
}

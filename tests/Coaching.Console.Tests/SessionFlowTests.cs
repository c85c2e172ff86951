using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coaching.Testing;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

/// <summary>
/// A small organisation of its own per test (ids from a Guid, so tests sharing the host never meet): a supervisor, two
/// coaches in a coach group, two agents in a team, and a group whose only member is the supervisor.
/// </summary>
public sealed class SessionOrg
{
    public static readonly string[] SupervisorRoles = ["supervisor"];
    public static readonly string[] Both = ["suggestions.view", "suggestions.create"];
    public static readonly string[] View = ["suggestions.view"];
    public const string Area = "call-handling";

    private SessionOrg(string prefix) => Prefix = prefix;

    public string Prefix { get; }
    public string Supervisor => $"{Prefix}-sup";
    public string Coach => $"{Prefix}-coach";
    public string Coach2 => $"{Prefix}-coach2";
    public string Agent1 => $"{Prefix}-agent1";
    public string Agent2 => $"{Prefix}-agent2";
    public string CoachGroup => $"{Prefix}-coaches";
    public string Team => $"{Prefix}-team";
    public string SupervisorOnly => $"{Prefix}-suponly";
    public string Case => $"CASE-{Prefix}";

    public static string NameOf(string userId) => "Name " + userId;

    public static async Task<SessionOrg> Create(CoachingApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var org = new SessionOrg("t" + Guid.NewGuid().ToString("N")[..10]);
        var admin = api.Admin();
        foreach (var user in new[] { org.Supervisor, org.Coach, org.Coach2, org.Agent1, org.Agent2 })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = NameOf(user) })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson($"/v1/groups/{org.CoachGroup}", new { displayName = "Coaches " + org.Prefix, members = new[] { org.Coach, org.Coach2 } })).Expect(HttpStatusCode.OK);
        await (await admin.PutJson($"/v1/groups/{org.Team}", new { displayName = "Team " + org.Prefix, members = new[] { org.Agent1, org.Agent2 } })).Expect(HttpStatusCode.OK);
        await (await admin.PutJson($"/v1/groups/{org.SupervisorOnly}", new { displayName = "Only the supervisor " + org.Prefix, members = new[] { org.Supervisor } })).Expect(HttpStatusCode.OK);
        return org;
    }

    public HttpClient SupervisorApi(CoachingApi api) => api.As(Supervisor, SupervisorRoles, Both);

    /// <summary>Suggests a session over /v1 as the supervisor; answers its id.</summary>
    public async Task<string> Suggest(CoachingApi api, string title, object coach, object[] trainees, string[]? cases = null)
    {
        var body = await (await SupervisorApi(api).PostJson("/v1/sessions", new { title, coach, trainees, coachingArea = Area, referenceCases = cases ?? [] }))
            .Expect(HttpStatusCode.Created);
        return body.GetProperty("id").GetString()!;
    }

    public static object User(string id) => new { type = "user", id };

    public static object Group(string id) => new { type = "group", id };

    public static async Task<JsonElement[]> Notifications(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetFromJsonAsync<JsonElement>("/v1/me/notifications");
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}

[Collection(ConsoleCollection.Name)]
public sealed partial class SessionFlowTests(ConsoleFixture console)
{
    private const int Live = 2000;

    [GeneratedRegex(@"/sessions/(SES[0-9A-F]+)$")]
    private static partial Regex SessionUrl();

    private static ILocator Card(IPage page, string title) => page.GetByRole(AriaRole.Article, new() { Name = title, Exact = true });

    private static async Task<string> SuggestFromForm(IPage page, string title, string coach)
    {
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Coach", new() { Exact = true }).FillAsync(coach);
        await page.GetByLabel("Coaching area", new() { Exact = true }).SelectOptionAsync(SessionOrg.Area);
        await page.GetByRole(AriaRole.Button, new() { Name = "Suggest", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SessionUrl());
        return SessionUrl().Match(page.Url).Groups[1].Value;
    }

    [Fact]
    public async Task A_supervisor_suggests_from_agent_and_case_pages_and_the_coach_schedules_it_live()
    {
        var org = await SessionOrg.Create(console.Api);
        var coach = await console.SignedIn(org.Coach, ["coach"], SessionOrg.View);
        await Assertions.Expect(coach.GetByRole(AriaRole.Heading, new() { Name = "Suggested sessions" })).ToBeVisibleAsync();
        var supervisor = await console.SignedIn(org.Supervisor, SessionOrg.SupervisorRoles, SessionOrg.Both);
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = "My suggestions" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(supervisor);

        // From the agent's page: the trainee is prefilled.
        await supervisor.GotoAsync($"/agents/{org.Agent1}");
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(supervisor);
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Suggest session" }).ClickAsync();
        await Assertions.Expect(supervisor).ToHaveURLAsync(new Regex(Regex.Escape($"/sessions/new?agent={org.Agent1}") + "$"));
        await Assertions.Expect(supervisor.GetByLabel("Trainees", new() { Exact = true })).ToHaveValueAsync(org.Agent1);
        await Assertions.Expect(supervisor.GetByLabel("Expiry", new() { Exact = true })).ToHaveValueAsync(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"));
        await Accessibility.AssertNoSeriousViolations(supervisor);
        var title = "Empathy " + org.Prefix;
        var id = await SuggestFromForm(supervisor, title, org.Coach);
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(supervisor);

        // The coach, whose home is open, sees it without a reload.
        await Assertions.Expect(Card(coach, title)).ToBeVisibleAsync(new() { Timeout = Live });

        // From a case page: the case and its participants are prefilled.
        await supervisor.GotoAsync($"/cases/{org.Case}?participants={org.Agent1},{org.Agent2}");
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = "Sessions referencing this case" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(supervisor);
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Suggest session" }).ClickAsync();
        await Assertions.Expect(supervisor).ToHaveURLAsync(new Regex("/sessions/new\\?case="));
        await Assertions.Expect(supervisor.GetByLabel("Reference cases", new() { Exact = true })).ToHaveValueAsync(org.Case);
        await Assertions.Expect(supervisor.GetByLabel("Trainees", new() { Exact = true })).ToHaveValueAsync($"{org.Agent1}, {org.Agent2}");
        var caseTitle = "Case review " + org.Prefix;
        await SuggestFromForm(supervisor, caseTitle, "group:" + org.CoachGroup);
        await Assertions.Expect(Card(coach, caseTitle)).ToBeVisibleAsync(new() { Timeout = Live });

        // The case page lists it, for the supervisor and for the coach.
        await supervisor.GotoAsync($"/cases/{org.Case}");
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Link, new() { Name = caseTitle })).ToBeVisibleAsync();
        var coachTab = await console.SignedIn(org.Coach, ["coach"], SessionOrg.View);
        await coachTab.GotoAsync($"/cases/{org.Case}");
        await Assertions.Expect(coachTab.GetByRole(AriaRole.Link, new() { Name = caseTitle })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(coachTab);
        await coachTab.GotoAsync($"/agents/{org.Agent1}");
        await Assertions.Expect(coachTab.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(coachTab);

        // The supervisor's home: cards with state, coach, trainees, expiry, Edit and Delete.
        await supervisor.GotoAsync("/");
        var card = Card(supervisor, title);
        await Assertions.Expect(card.Locator(".coaching-state")).ToHaveTextAsync("Suggested");
        await Assertions.Expect(card).ToContainTextAsync(org.Coach);
        await Assertions.Expect(card).ToContainTextAsync(org.Agent1);
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Link, new() { Name = "Inbox", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Button, new() { Name = "Suggest session" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(supervisor);

        // The coach schedules from the pre-filled form.
        await Accessibility.AssertNoSeriousViolations(coach);
        await Card(coach, title).GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        await Assertions.Expect(coach).ToHaveURLAsync(new Regex($"/sessions/{id}"));
        await Assertions.Expect(coach.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync(title);
        await Assertions.Expect(coach.GetByLabel("Trainees", new() { Exact = true })).ToHaveValueAsync(org.Agent1);
        await Assertions.Expect(coach.GetByLabel("Coaching area", new() { Exact = true })).ToHaveValueAsync(SessionOrg.Area);
        await Assertions.Expect(coach.GetByLabel("Start", new() { Exact = true })).ToHaveValueAsync(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"));
        await Assertions.Expect(coach.GetByLabel("Duration (minutes)", new() { Exact = true })).ToHaveValueAsync("30");
        await Accessibility.AssertNoSeriousViolations(coach);
        await coach.GetByLabel("Duration (minutes)", new() { Exact = true }).FillAsync("45");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        await Assertions.Expect(coach.GetByTestId("session-state")).ToHaveTextAsync("Scheduled");
        await Assertions.Expect(coach.GetByRole(AriaRole.Heading, new() { Name = "Complete" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(coach);

        // The supervisor's card turns Scheduled and the notification arrives, both without a reload.
        await Assertions.Expect(card.Locator(".coaching-state")).ToHaveTextAsync("Scheduled", new() { Timeout = Live });
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Link, new() { Name = "Inbox, 1 unread" })).ToBeVisibleAsync(new() { Timeout = Live });
        var notices = await SessionOrg.Notifications(org.SupervisorApi(console.Api));
        var scheduled = Assert.Single(notices, n => n.GetProperty("type").GetString() == "session-scheduled");
        Assert.Equal($"{SessionOrg.NameOf(org.Coach)} has scheduled a session based on your suggestion.", scheduled.GetProperty("text").GetString());

        // The coach completes it with notes.
        await coach.GetByLabel("Notes", new() { Exact = true }).FillAsync("Went well.");
        await coach.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await Assertions.Expect(coach.GetByTestId("session-state")).ToHaveTextAsync("Completed");
        await Assertions.Expect(card.Locator(".coaching-state")).ToHaveTextAsync("Completed", new() { Timeout = Live });
    }

    [Fact]
    public async Task A_supervisor_edits_and_deletes_a_suggestion_and_the_coach_sees_it_go()
    {
        var org = await SessionOrg.Create(console.Api);
        var title = "Edit me " + org.Prefix;
        var id = await org.Suggest(console.Api, title, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)]);
        var coach = await console.SignedIn(org.Coach, ["coach"], SessionOrg.View);
        await Assertions.Expect(Card(coach, title)).ToBeVisibleAsync();

        var supervisor = await console.SignedIn(org.Supervisor, SessionOrg.SupervisorRoles, SessionOrg.Both);
        await Card(supervisor, title).GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Assertions.Expect(supervisor).ToHaveURLAsync(new Regex($"/sessions/{id}"));
        await Assertions.Expect(supervisor.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync(title);
        await Accessibility.AssertNoSeriousViolations(supervisor);
        var renamed = "Edited " + org.Prefix;
        await supervisor.GetByLabel("Title", new() { Exact = true }).FillAsync(renamed);
        await supervisor.GetByLabel("Trainees", new() { Exact = true }).FillAsync($"{org.Agent1}, group:{org.Team}");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = renamed, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(Card(coach, renamed)).ToBeVisibleAsync(new() { Timeout = Live });

        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("session-state")).ToHaveTextAsync("Canceled");
        await Assertions.Expect(Card(coach, renamed)).ToHaveCountAsync(0, new() { Timeout = Live });
    }

    [Fact]
    public async Task A_trainee_declines_with_a_reason_and_then_no_longer_sees_the_session()
    {
        var org = await SessionOrg.Create(console.Api);
        var title = "Decline me " + org.Prefix;
        var id = await org.Suggest(console.Api, title, SessionOrg.User(org.Coach), [SessionOrg.Group(org.Team)]);
        var supervisor = await console.SignedIn(org.Supervisor, SessionOrg.SupervisorRoles, SessionOrg.Both);
        var supervisorCard = Card(supervisor, title);
        await Assertions.Expect(supervisorCard.Locator(".coaching-state")).ToHaveTextAsync("Suggested");

        var agent = await console.SignedIn(org.Agent2, ["agent"], SessionOrg.View);
        await agent.GotoAsync($"/sessions/{id}");
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Schedule" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolations(agent);

        // No reason: refused in words, nothing lost.
        await agent.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Reason" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(agent);

        var reason = "on leave that week " + org.Prefix;
        await agent.GetByLabel("Reason", new() { Exact = true }).FillAsync(reason);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();

        // Canceled before it was scheduled: the agent no longer sees it; the supervisor's card turns Canceled live.
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Assertions.Expect(supervisorCard.Locator(".coaching-state")).ToHaveTextAsync("Canceled", new() { Timeout = Live });
        await Assertions.Expect(supervisorCard).ToContainTextAsync(reason);
        var notices = await SessionOrg.Notifications(org.SupervisorApi(console.Api));
        var declined = Assert.Single(notices, n => n.GetProperty("type").GetString() == "session-canceled-by-trainee");
        Assert.Equal($"Coaching Session has been canceled as {SessionOrg.NameOf(org.Agent2)} has declined the suggested session because of {reason}.",
            declined.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_coach_declines_from_the_home_with_a_reason()
    {
        var org = await SessionOrg.Create(console.Api);
        var title = "Coach declines " + org.Prefix;
        await org.Suggest(console.Api, title, SessionOrg.Group(org.CoachGroup), [SessionOrg.User(org.Agent1)]);
        var coach = await console.SignedIn(org.Coach2, ["coach"], SessionOrg.View, width: 390, height: 844);
        var card = Card(coach, title);
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(coach);
        Assert.True(await coach.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone-sized home scrolls sideways");

        await card.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();
        await Assertions.Expect(coach.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Reason" })).ToBeVisibleAsync();
        await card.GetByLabel("Reason", new() { Exact = true }).FillAsync("not my area");
        await card.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
        var notices = await SessionOrg.Notifications(org.SupervisorApi(console.Api));
        var declined = Assert.Single(notices, n => n.GetProperty("type").GetString() == "session-canceled-by-coach");
        Assert.Equal($"Coaching Session has been canceled as {SessionOrg.NameOf(org.Coach2)} has declined the suggested session because of not my area.",
            declined.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Without_suggestions_view_no_suggested_session_is_shown_on_the_homes_or_the_agent_page()
    {
        var org = await SessionOrg.Create(console.Api);
        var title = "Hidden " + org.Prefix;
        await org.Suggest(console.Api, title, SessionOrg.Group(org.CoachGroup), [SessionOrg.User(org.Agent1)]);

        // With the permission it shows (so the absences below are not vacuous).
        var viewer = await console.SignedIn(org.Coach, ["coach"], SessionOrg.View);
        await Assertions.Expect(Card(viewer, title)).ToBeVisibleAsync();
        await viewer.GotoAsync($"/agents/{org.Agent1}");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();

        var coach = await console.SignedIn(org.Coach2, ["coach"]);
        await Assertions.Expect(coach.GetByText("No sessions are suggested to you.")).ToBeVisibleAsync();
        await Assertions.Expect(Card(coach, title)).ToHaveCountAsync(0);
        await coach.GotoAsync($"/agents/{org.Agent1}");
        await Assertions.Expect(coach.GetByText("No sessions you may see.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(coach);

        var supervisor = await console.SignedIn(org.Supervisor, SessionOrg.SupervisorRoles, ["suggestions.create"]);
        await Assertions.Expect(supervisor.GetByText("You have not suggested any sessions.")).ToBeVisibleAsync();
        await supervisor.GotoAsync($"/agents/{org.Agent1}");
        await Assertions.Expect(supervisor.GetByText("No sessions you may see.")).ToBeVisibleAsync();
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Link, new() { Name = title })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_agent_home_lists_my_sessions_with_decline_but_never_one_canceled_before_it_was_scheduled()
    {
        var org = await SessionOrg.Create(console.Api);
        var open = "Open " + org.Prefix;
        var deleted = "Deleted " + org.Prefix;
        var scheduledThenCompleted = "Held " + org.Prefix;
        await org.Suggest(console.Api, open, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)]);
        var gone = await org.Suggest(console.Api, deleted, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)]);
        var held = await org.Suggest(console.Api, scheduledThenCompleted, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)]);
        await (await org.SupervisorApi(console.Api).DeleteAsync($"/v1/sessions/{gone}")).Expect(HttpStatusCode.NoContent);
        var coachApi = console.Api.As(org.Coach, ["coach"], SessionOrg.View);
        await (await coachApi.PostJson($"/v1/sessions/{held}/schedule", new { scheduledAt = DateTimeOffset.UtcNow.AddDays(2), durationMinutes = 30 })).Expect(HttpStatusCode.OK);

        var agent = await console.SignedIn(org.Agent1, ["agent"], SessionOrg.View);
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "My sessions" })).ToBeVisibleAsync();
        await Assertions.Expect(Card(agent, open)).ToBeVisibleAsync();
        await Assertions.Expect(Card(agent, scheduledThenCompleted).Locator(".coaching-state")).ToHaveTextAsync("Scheduled");
        await Assertions.Expect(Card(agent, deleted)).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolations(agent);
        await agent.GotoAsync($"/sessions/{gone}");
        await Assertions.Expect(agent.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await agent.GotoAsync($"/sessions/{held}");
        await Assertions.Expect(agent.GetByTestId("session-state")).ToHaveTextAsync("Scheduled");
        await Accessibility.AssertNoSeriousViolations(agent);

        // Declining from the home: the session goes from the list at once.
        await agent.GotoAsync("/");
        var card = Card(agent, open);
        await card.GetByLabel("Reason", new() { Exact = true }).FillAsync("double booked");
        await card.GetByRole(AriaRole.Button, new() { Name = "Decline", Exact = true }).ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);

        // Without suggestions.view the agent sees no session still Suggested, but a scheduled one still shows.
        var open2 = "Open again " + org.Prefix;
        await org.Suggest(console.Api, open2, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)]);
        var blind = await console.SignedIn(org.Agent1, ["agent"]);
        await Assertions.Expect(Card(blind, scheduledThenCompleted)).ToBeVisibleAsync();
        await Assertions.Expect(Card(blind, open2)).ToHaveCountAsync(0);
    }
    [Fact]
    public async Task The_session_pages_fit_a_phone_screen()
    {
        var org = await SessionOrg.Create(console.Api);
        var title = "Phone " + org.Prefix;
        var id = await org.Suggest(console.Api, title, SessionOrg.User(org.Coach), [SessionOrg.User(org.Agent1)], [org.Case]);
        var page = await console.SignedIn(org.Supervisor, SessionOrg.SupervisorRoles, SessionOrg.Both, width: 390, height: 844);
        (string Path, string Heading)[] pages =
        [
            ("/", "My suggestions"), ("/sessions/new", "Suggest a coaching session"), ($"/sessions/{id}", "History"),
            ($"/agents/{org.Agent1}", "Sessions"), ($"/cases/{org.Case}", "Sessions referencing this case"),
        ];
        foreach (var (path, heading) in pages)
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways on a phone");
            await Accessibility.AssertNoSeriousViolations(page);
        }
    }
}

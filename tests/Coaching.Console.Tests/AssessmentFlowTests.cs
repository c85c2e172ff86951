using System.Text.RegularExpressions;
using System.Net;
using Coaching.Testing;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class AssessmentFlowTests(ConsoleFixture console) : IAsyncLifetime
{
    private readonly OpenPages open = new(console);

    public Task InitializeAsync() => open.InitializeAsync();

    public Task DisposeAsync() => open.DisposeAsync();

    private static readonly LocatorAssertionsToBeVisibleOptions WithinTwoSeconds = new() { Timeout = 2000 };

    [Fact]
    public async Task An_event_puts_the_assessment_on_the_open_coach_home_and_the_coach_works_it_to_complete()
    {
        var arrange = await AssessmentArrangement.Create(console.Api);
        await arrange.Opportunity();
        var page = await open.SignedIn(arrange.Coach, ["coach"]);
        var queue = page.GetByRole(AriaRole.Region, new() { Name = "My queue" });
        await Assertions.Expect(queue.GetByText("Nothing in your queue.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page);

        var id = Assert.Single(await arrange.Event("created"));
        var stored = await arrange.Read(id);
        Assert.Equal(arrange.Coach, stored.GetProperty("coach").GetString());

        // No reload: the open home shows it within two seconds.
        var link = queue.GetByRole(AriaRole.Link, new() { Name = id, Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync(WithinTwoSeconds);
        await Accessibility.AssertNoSeriousViolations(page);

        await link.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/assessments/{id}") + "$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Assessment {id}", Level = 1 })).ToBeVisibleAsync();
        var state = page.GetByTestId("state");
        await Assertions.Expect(state).ToContainTextAsync("New");
        await Assertions.Expect(page.GetByTestId("trainee")).ToHaveTextAsync(arrange.Trainee);
        await Assertions.Expect(page.GetByTestId("source")).ToContainTextAsync(arrange.Table);
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Passed on to the network team" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Reassignment etiquette" })).ToHaveAttributeAsync("href", "https://learn.example.test/reassign");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolations(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Assertions.Expect(state).ToContainTextAsync("InProgress");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true })).ToHaveCountAsync(0);

        // A resolve without a rating is refused in words next to the field, and what was typed stays.
        await page.GetByLabel("Summary").FillAsync("Walked through the reassignment checklist.");
        await page.GetByLabel("Follow-up").FillAsync("Review two reassignments next week.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "rating" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Summary")).ToHaveValueAsync("Walked through the reassignment checklist.");
        await Assertions.Expect(state).ToContainTextAsync("InProgress");
        await Accessibility.AssertNoSeriousViolations(page);

        await page.GetByLabel("Rating").SelectOptionAsync("Good");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Assertions.Expect(state).ToContainTextAsync("Resolved");
        await Assertions.Expect(page.GetByTestId("rating")).ToHaveTextAsync("Good");
        await Assertions.Expect(page.GetByTestId("summary")).ToHaveTextAsync("Walked through the reassignment checklist.");
        await Assertions.Expect(page.GetByTestId("follow-up")).ToHaveTextAsync("Review two reassignments next week.");

        // Resolving sent the coach the survey about the trainee: it is answered on the same page.
        var survey = page.GetByRole(AriaRole.Form, new() { Name = $"Trainee assessment for {id}" });
        await Assertions.Expect(survey).ToBeVisibleAsync(WithinTwoSeconds);
        await Accessibility.AssertNoSeriousViolations(page);
        await survey.GetByLabel("How well did the agent follow the process?").SelectOptionAsync("7");
        await survey.GetByLabel("What should the agent keep doing?").FillAsync("Writing clear work notes.");
        await survey.GetByRole(AriaRole.Button, new() { Name = "Send answers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your survey" })).ToHaveCountAsync(0);
        Assert.Equal(7, (await arrange.Read(id)).GetProperty("traineeRating").GetDouble());

        await page.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await Assertions.Expect(state).ToContainTextAsync("ClosedComplete");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reopen" })).ToBeVisibleAsync();

        var history = page.GetByRole(AriaRole.List, new() { Name = "History" });
        foreach (var (action, from, to) in new[] { ("started", "New", "InProgress"), ("resolved", "InProgress", "Resolved"), ("completed", "Resolved", "ClosedComplete") })
        {
            var step = history.Locator($"li[data-action='{action}']");
            await Assertions.Expect(step).ToContainTextAsync(arrange.Coach);
            await Assertions.Expect(step).ToContainTextAsync($"{from} -> {to}");
        }

        var api = await arrange.Read(id);
        Assert.Equal("ClosedComplete", api.GetProperty("state").GetString());
        Assert.Equal("Good", api.GetProperty("rating").GetString());
        await Accessibility.AssertNoSeriousViolations(page);
    }

    [Fact]
    public async Task Nobody_outside_the_assessment_sees_it_and_an_outside_coach_is_refused_the_claim()
    {
        var arrange = await AssessmentArrangement.Create(console.Api);
        await arrange.Opportunity();
        var id = Assert.Single(await arrange.Event("hidden"));

        var otherAgent = await open.SignedIn(arrange.OtherAgent, ["agent"]);
        await otherAgent.GotoAsync($"/assessments/{id}");
        await Assertions.Expect(otherAgent.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(otherAgent.GetByText(arrange.Trainee, new() { Exact = true })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolations(otherAgent);

        // A coach who is not in the coach group gets what the API answers it: 404.
        var outsider = await open.SignedIn(arrange.OutsideCoach, ["coach"]);
        await (await console.Api.As(arrange.OutsideCoach, ["coach"]).PostAsync($"/v1/assessments/{id}/claim", null)).Expect(HttpStatusCode.NotFound);
        await outsider.GotoAsync($"/assessments/{id}");
        await Assertions.Expect(outsider.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(outsider);

        // A supervisor who also coaches may read it, but is not of its coach group: the claim is refused in words.
        var supervisor = await open.SignedIn(arrange.OutsideCoach, ["coach", "supervisor"]);
        await supervisor.GotoAsync($"/assessments/{id}");
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = $"Assessment {id}", Level = 1 })).ToBeVisibleAsync();
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Alert).Filter(new() { HasText = "You are not allowed to do that." })).ToBeVisibleAsync();
        await Assertions.Expect(supervisor.GetByTestId("coach")).ToHaveTextAsync(arrange.Coach);
        await Accessibility.AssertNoSeriousViolations(supervisor);

        // Its trainee reads it, without the coach's buttons, on a phone without sideways scrolling.
        var trainee = await open.SignedIn(arrange.Trainee, ["agent"], width: 390, height: 844);
        await trainee.GotoAsync($"/assessments/{id}");
        await Assertions.Expect(trainee.GetByRole(AriaRole.Heading, new() { Name = $"Assessment {id}", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(trainee.GetByRole(AriaRole.Button, new() { Name = "Add note" })).ToBeVisibleAsync();
        foreach (var button in new[] { "Claim", "Start", "Resolve", "Complete", "Reopen" })
        {
            await Assertions.Expect(trainee.GetByRole(AriaRole.Button, new() { Name = button, Exact = true })).ToHaveCountAsync(0);
        }

        Assert.Equal(0, await trainee.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));

        await Accessibility.AssertNoSeriousViolations(trainee);
    }

    [Fact]
    public async Task Notes_are_added_a_refused_note_keeps_its_text_and_notes_from_elsewhere_show_live()
    {
        var arrange = await AssessmentArrangement.Create(console.Api);
        await arrange.Opportunity();
        var id = Assert.Single(await arrange.Event("notes"));
        var page = await open.SignedIn(arrange.Coach, ["coach"]);
        await page.GotoAsync($"/assessments/{id}");
        var journal = page.GetByRole(AriaRole.Region, new() { Name = "Notes" });
        await Assertions.Expect(journal.GetByText("No notes yet.")).ToBeVisibleAsync();

        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Called the agent about the ticket.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(journal.GetByText("Called the agent about the ticket.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync("");

        var tooLong = new string('x', 10_001);
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync(tooLong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(journal.GetByRole(AriaRole.Alert)).ToContainTextAsync("at most 10000 characters");
        await Assertions.Expect(page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync(tooLong);
        await Accessibility.AssertNoSeriousViolations(page);

        // The trainee writes over the API: the coach's open page shows it within two seconds, and the typed text stays.
        await (await arrange.AsTrainee().PostJson($"/v1/assessments/{id}/notes", new { text = "I will use the checklist." })).Expect(HttpStatusCode.OK);
        await Assertions.Expect(journal.GetByText("I will use the checklist.")).ToBeVisibleAsync(WithinTwoSeconds);
        await Assertions.Expect(page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync(tooLong);
        var notes = (await arrange.Read(id)).GetProperty("notes");
        Assert.Equal(2, notes.GetArrayLength());
    }

    [Fact]
    public async Task The_agent_home_lists_assessments_learning_tasks_and_surveys_live()
    {
        var arrange = await AssessmentArrangement.Create(console.Api);
        await arrange.Opportunity();
        await arrange.Opportunity("virtual", "Read the reassignment guide");
        var page = await open.SignedIn(arrange.Trainee, ["agent"], width: 390, height: 844);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My sessions" })).ToBeVisibleAsync();
        var mine = page.GetByRole(AriaRole.Region, new() { Name = "My assessments" });
        await Assertions.Expect(mine.GetByText("You have no assessments.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page);

        var ids = await arrange.Event("home");
        Assert.Equal(2, ids.Count);
        foreach (var id in ids)
        {
            await Assertions.Expect(mine.GetByRole(AriaRole.Link, new() { Name = id, Exact = true })).ToBeVisibleAsync(WithinTwoSeconds);
        }

        var coached = (await arrange.Read(ids[0])).GetProperty("completion").GetString() == "coach" ? ids[0] : ids[1];
        var virtualOne = ids.Single(id => id != coached);
        var tasks = page.GetByRole(AriaRole.Region, new() { Name = "Learning tasks" });
        await Assertions.Expect(tasks.GetByText("Read the reassignment guide")).ToBeVisibleAsync(WithinTwoSeconds);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await Accessibility.AssertNoSeriousViolations(page);

        // The coach resolves over the API: the trainee's survey shows up on the open home.
        var coach = arrange.AsCoach();
        await (await coach.PostAsync($"/v1/assessments/{coached}/start", null)).Expect(HttpStatusCode.OK);
        await (await coach.PostJson($"/v1/assessments/{coached}/resolve", new { summary = "Good talk.", rating = "Good", followUp = "None." })).Expect(HttpStatusCode.OK);
        var surveys = page.GetByRole(AriaRole.Region, new() { Name = "Surveys to answer" });
        var form = surveys.GetByRole(AriaRole.Form, new() { Name = $"Coach effectiveness for {coached}" });
        await Assertions.Expect(form).ToBeVisibleAsync(WithinTwoSeconds);
        await Accessibility.AssertNoSeriousViolations(page);

        await form.GetByLabel("How useful was the coaching?").SelectOptionAsync("8");
        await form.GetByLabel("What would have helped more?").FillAsync("An example from my own queue.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send answers" }).ClickAsync();
        await Assertions.Expect(surveys.GetByText("No surveys wait for you.")).ToBeVisibleAsync();
        var rated = await arrange.Read(coached);
        Assert.Equal(8, rated.GetProperty("coachRating").GetDouble());

        await tasks.GetByRole(AriaRole.Button, new() { Name = "Mark done" }).ClickAsync();
        await Assertions.Expect(tasks.GetByText("No learning tasks to do.")).ToBeVisibleAsync();
        var row = mine.Locator($"tr[data-assessment='{virtualOne}']");
        await Assertions.Expect(row).ToContainTextAsync("ClosedComplete");
        await Accessibility.AssertNoSeriousViolations(page);
    }
}

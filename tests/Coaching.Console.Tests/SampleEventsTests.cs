using System.Net;
using Coaching.Api.Web;
using Coaching.Testing;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SampleEventsTests(ConsoleFixture console)
{
    [Fact]
    public async Task Sample_events_sent_by_the_admin_arrive_on_the_open_coach_homes_without_reload()
    {
        var coachPages = new Dictionary<string, IPage>(StringComparer.Ordinal);
        foreach (var coach in Demo.Coaches)
        {
            var page = await console.SignedIn(coach, ["coach"]);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My queue" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            coachPages[coach] = page;
        }

        var admin = await console.SignedIn(Demo.Admin, ["coaching.admin"]);
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Opportunities", Exact = true })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(admin.GetByRole(AriaRole.Table, new() { Name = "Opportunities" })).ToContainTextAsync(Demo.OpportunityName);
        await Accessibility.AssertNoSeriousViolations(admin);

        await admin.GetByLabel("Number of events", new() { Exact = true }).FillAsync("8");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send sample events", Exact = true }).ClickAsync();
        var result = admin.GetByTestId("sample-result");
        await Assertions.Expect(result).ToContainTextAsync("Sent 8 sample events");
        await Assertions.Expect(result).Not.ToContainTextAsync(": 0 assessments created");

        // The burst's assessments, each on its coach's open home within 2 seconds: the demo coaches get those the
        // stable hash gives them (the demo opportunity allows one per agent a minute, so up to four).
        var created = await admin.GetByRole(AriaRole.List, new() { Name = "Created assessments" }).Locator("[data-assessment]")
            .EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('data-assessment'))");
        Assert.NotEmpty(created);
        var api = console.Api.Admin();
        var seen = 0;
        foreach (var id in created)
        {
            var assessment = await (await api.GetAsync($"/v1/assessments/{id}")).Expect(HttpStatusCode.OK);
            if (assessment.GetProperty("coach").GetString() is { } coach && coachPages.TryGetValue(coach, out var page))
            {
                await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "My queue" }).Locator($"tr[data-assessment='{id}']"))
                    .ToBeVisibleAsync(new() { Timeout = 2000 });
                seen++;
            }
        }

        Assert.True(seen > 0, "at least one sample assessment went to a demo coach");
        await Assertions.Expect(admin.Locator("tr[data-opportunity] [data-stat=created]").First).Not.ToHaveTextAsync("0");
    }

    [Fact]
    public async Task The_sample_event_count_is_bounded()
    {
        var admin = await console.SignedIn(Demo.Admin, ["coaching.admin"]);
        await Assertions.Expect(admin.GetByLabel("Number of events", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await admin.GetByLabel("Number of events", new() { Exact = true }).FillAsync("1001");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send sample events", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("between 1 and 1000");
        await Assertions.Expect(admin.GetByLabel("Number of events", new() { Exact = true })).ToHaveValueAsync("1001");
    }
}

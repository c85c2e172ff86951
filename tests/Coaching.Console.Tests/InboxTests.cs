using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class InboxTests(ConsoleFixture console) : IAsyncLifetime
{
    private readonly OpenPages open = new(console);

    public Task InitializeAsync() => open.InitializeAsync();

    public Task DisposeAsync() => open.DisposeAsync();

    private static readonly LocatorAssertionsToBeVisibleOptions WithinTwoSeconds = new() { Timeout = 2000 };

    [Fact]
    public async Task A_notification_arrives_live_and_mark_read_takes_it_off_the_unread_count()
    {
        var arrange = await AssessmentArrangement.Create(console.Api);
        await arrange.Opportunity();
        var page = await open.SignedIn(arrange.Coach, ["coach"]);
        await page.GotoAsync("/inbox");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No notifications.")).ToBeVisibleAsync();
        var header = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Inbox", Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page);

        // The event assigns the assessment to this coach: its notification shows up without a reload, and so does the count.
        var id = Assert.Single(await arrange.Event("inbox"));
        var notifications = page.GetByRole(AriaRole.List, new() { Name = "Notifications" });
        var item = notifications.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Link) });
        await Assertions.Expect(item).ToHaveCountAsync(1, new() { Timeout = 2000 });
        var markRead = item.GetByRole(AriaRole.Button, new() { Name = "Mark read" });
        await Assertions.Expect(markRead).ToBeVisibleAsync(WithinTwoSeconds);
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Inbox, 1 unread", Exact = true })).ToBeVisibleAsync(WithinTwoSeconds);
        await Assertions.Expect(page.GetByText("1 unread notification.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page);

        await markRead.ClickAsync();
        await Assertions.Expect(markRead).ToHaveCountAsync(0);
        await Assertions.Expect(item).ToHaveAttributeAsync("data-read", "true");
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Inbox", Exact = true })).ToBeVisibleAsync(WithinTwoSeconds);
        await Assertions.Expect(page.GetByText("Nothing unread.")).ToBeVisibleAsync();
        var unread = await (await console.Api.As(arrange.Coach, ["coach"]).GetAsync("/v1/me/notifications?unread=true")).Content.ReadAsStringAsync();
        Assert.Contains("\"items\":[]", unread, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolations(page);

        // The notification leads to its subject.
        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/assessments/{id}") + "$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Assessment {id}", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_inbox_lists_newest_first_and_fits_a_phone()
    {
        var arrange = await AssessmentArrangement.Create(console.Api);
        await arrange.Opportunity();
        var first = Assert.Single(await arrange.Event("one"));
        var second = Assert.Single(await arrange.Event("two"));
        var page = await open.SignedIn(arrange.Coach, ["coach"], width: 390, height: 844);
        await page.GotoAsync("/inbox");
        var links = page.GetByRole(AriaRole.List, new() { Name = "Notifications" }).GetByRole(AriaRole.Link);
        await Assertions.Expect(links).ToHaveCountAsync(2);
        Assert.EndsWith($"/assessments/{second}", await links.Nth(0).GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.EndsWith($"/assessments/{first}", await links.Nth(1).GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await Accessibility.AssertNoSeriousViolations(page);
    }
}

using Coaching.Api.Web;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture console)
{
    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_a_demo_coach_sees_the_queue()
    {
        var page = await console.NewPage();
        await page.GotoAsync("/");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolations(page);

        await ConsoleFixture.SignIn(page, Demo.Coaches[0], ["coach"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My queue" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unassigned in my groups" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page);
    }
}

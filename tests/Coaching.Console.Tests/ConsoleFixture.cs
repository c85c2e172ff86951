using Coaching.Testing;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

/// <summary>One real API host with the console (development sign-in on, demo data seeded) and one headless Chromium, shared by the console tests.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}

public sealed class ConsoleFixture : IAsyncLifetime
{
    public static Dictionary<string, string?> ConsoleSettings() => new()
    {
        ["Coaching:Console:DevSignIn"] = "true",
        ["Coaching:Demo:Seed"] = "true",
    };

    private IPlaywright? playwright;

    public CoachingApi Api { get; } = new(ConsoleSettings());

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        BaseUrl = Api.CreateClient().BaseAddress!.ToString().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        Browser = await Chromium.Launch(playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Api.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies) at desktop size, with a page on it.</summary>
    public async Task<IPage> NewPage(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the development sign-in form and waits for the home page.</summary>
    public async Task<IPage> SignedIn(string user, string[] roles, string[]? permissions = null, int width = 1280, int height = 800)
    {
        var page = await NewPage(width, height);
        await SignIn(page, user, roles, permissions);
        return page;
    }

    public static async Task SignIn(IPage page, string user, string[] roles, string[]? permissions = null, string returnUrl = "/")
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GetByLabel("User", new() { Exact = true }).FillAsync(user);
        foreach (var role in roles)
        {
            await page.GetByLabel(role, new() { Exact = true }).CheckAsync();
        }

        foreach (var permission in permissions ?? [])
        {
            await page.GetByLabel(permission, new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }
}

/// <summary>Debian's Chromium, headless; Playwright's own browser download cannot work on these machines.</summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("COACHING_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static Task<IBrowser> Launch(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No Chromium at {ExecutablePath}: install Debian's 'chromium' package (.ci/run does) or set COACHING_CHROMIUM.");
        }

        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }
}

/// <summary>The accessibility check: axe on the page as it is, no serious or critical violation.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolations(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: " + string.Join("\n", serious.Select(Describe)));
    }

    private static string Describe(AxeResultItem v) =>
        $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}";
}

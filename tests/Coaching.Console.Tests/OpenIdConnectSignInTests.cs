using System.Net;
using System.Net.Http.Headers;
using Coaching.Api.Web;
using Coaching.Testing;
using Microsoft.Playwright;

namespace Coaching.Console.Tests;

/// <summary>A real OpenID Connect provider, a console host configured for it (development sign-in off) and a browser.</summary>
public sealed class OpenIdConnectFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public TestIdentityProvider Provider { get; private set; } = default!;

    public CoachingApi Api { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Provider = await TestIdentityProvider.Start();
        Api = new CoachingApi(new Dictionary<string, string?>
        {
            [OpenIdSettings.Section + ":Authority"] = Provider.Authority,
            [OpenIdSettings.Section + ":ClientId"] = TestIdentityProvider.ClientId,
            [OpenIdSettings.Section + ":ClientSecret"] = TestIdentityProvider.ClientSecret,
            [OpenIdSettings.Section + ":RequireHttpsMetadata"] = "false",
            ["Coaching:Console:DevSignIn"] = "false",
            ["Coaching:Demo:Seed"] = "true",
        });
        BaseUrl = Api.CreateClient().BaseAddress!.ToString().TrimEnd('/');
        Provider.RedirectUri = BaseUrl + "/signin-oidc";

        // The first request to each host is slow on a busy machine (JIT, keys, the console fetching the provider's
        // metadata): make them here, not under a test's timeouts.
        using (var warm = Client())
        {
            warm.Timeout = TimeSpan.FromMinutes(2);
            (await warm.GetAsync(Provider.Authority + "/.well-known/openid-configuration")).EnsureSuccessStatusCode();
            (await warm.GetAsync(Provider.Authority + "/.well-known/jwks")).EnsureSuccessStatusCode();
            await warm.GetAsync("/");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await Chromium.Launch(playwright);
    }

    /// <summary>A client of the console host that does not follow redirects and keeps no cookies of its own.</summary>
    public HttpClient Client() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };

    public async Task<IPage> NewPage()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OpenIdConnectCollection : ICollectionFixture<OpenIdConnectFixture>
{
    public const string Name = "openid-connect";
}

[Collection(OpenIdConnectCollection.Name)]
public sealed class OpenIdConnectSignInTests(OpenIdConnectFixture oidc)
{
    [Fact]
    public async Task A_visitor_signs_in_at_the_identity_provider_with_PKCE_and_sees_the_home_of_the_roles_it_gave()
    {
        oidc.Provider.User = new("coach-ana", ["coach", "supervisor"], ["suggestions.view"]);
        var seenBefore = oidc.Provider.Authorizations.Count;
        var page = await oidc.NewPage();
        var visited = new List<string>();
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                visited.Add(frame.Url);
            }
        };

        await page.GotoAsync("/");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My queue" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unassigned in my groups" })).ToBeVisibleAsync();
        Assert.StartsWith(oidc.BaseUrl + "/", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(visited, url => url.Contains(ConsoleAuth.SignInPath + "?", StringComparison.Ordinal));

        // The browser went to the provider, which saw this client ask for a code with an S256 challenge; the code was
        // redeemed with its verifier.
        var seen = oidc.Provider.Authorizations.Skip(seenBefore).Single();
        Assert.Equal(TestIdentityProvider.ClientId, seen.ClientId);
        Assert.Equal(oidc.BaseUrl + "/signin-oidc", seen.RedirectUri);
        Assert.Equal("S256", seen.CodeChallengeMethod);
        Assert.False(string.IsNullOrEmpty(seen.CodeChallenge));
        Assert.Contains(oidc.Provider.Tokens, t => t.GrantType == "authorization_code" && !string.IsNullOrEmpty(t.CodeVerifier));

        // Both roles from the ID token reached the console: the supervisor's home is there too.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My suggestions" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolations(page);

        // The console's cookie does not authorize the API.
        var api = await page.APIRequest.GetAsync(oidc.BaseUrl + "/v1/me/notifications");
        Assert.Equal(401, api.Status);
    }

    [Fact]
    public async Task The_sign_in_page_offers_the_identity_provider_and_no_development_form()
    {
        var page = await oidc.NewPage();
        await page.GotoAsync(ConsoleAuth.SignInPath);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your organisation" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("User", new() { Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("form")).ToHaveCountAsync(0);

        using var anonymous = oidc.Client();
        using var form = new FormUrlEncodedContent([new("User", "coach-ana"), new("Roles", "coach")]);
        var posted = await anonymous.PostAsync(ConsoleAuth.SignInPath, form);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_does_not_sign_in_to_the_console()
    {
        using var client = oidc.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For("coach-ana", ["coach"]));

        // The same token is good on the API...
        var me = await client.GetAsync("/v1/me/notifications");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        // ...and the console sends its bearer to sign in, at the identity provider.
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith(oidc.Provider.Authority + "/connect/authorize?", home.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}

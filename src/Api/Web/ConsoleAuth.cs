using System.Security.Claims;
using Coaching.Api.Auth;
using Coaching.Api.Http;
using Coaching.Silo;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Coaching.Api.Web;

/// <summary>The <c>Coaching:Console</c> section.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Coaching:Console";

    /// <summary>
    /// The development sign-in at <c>/signin</c> (any user, any role, no password). Null: on in Development only.
    /// Turned on anywhere else, every start logs a warning.
    /// </summary>
    public bool? DevSignIn { get; set; }
}

/// <summary>The standard <c>Authentication:Schemes:OpenIdConnect</c> section, read while the host is built to know whether it is set.</summary>
public sealed class OpenIdSettings
{
    public const string Section = "Authentication:Schemes:" + OpenIdConnectDefaults.AuthenticationScheme;

    public string? Authority { get; set; }

    public string? ClientId { get; set; }
}

/// <summary>
/// Who the console's visitor is. The API keeps its bearer tokens and the console has its own cookie, and a request is
/// authenticated by exactly one of them, chosen by its path: <c>/v1</c> and the operations routes read only the bearer
/// token (so the cookie never authorizes the API), every other path only the cookie (so a bearer token never signs in
/// to the console). The cookie is made by OpenID Connect (code + PKCE) when that section is configured, or by the
/// development sign-in; it carries the same claims as a token (<c>sub</c>, <c>role</c>, <c>permission</c>) and the
/// same directory standing applies to it.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "Coaching";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    /// <summary>Paths served to bearer tokens only.</summary>
    private static readonly PathString[] ApiPaths = ["/v1", "/metrics", "/dashboard"];

    /// <summary>
    /// The API's paths read bearer tokens; so does a path nothing serves, which answers as the API always did there
    /// (401 without a token, 404 with one), not with a sign-in redirect.
    /// </summary>
    private static bool UsesBearer(HttpContext context) => IsApiPath(context.Request.Path) || context.GetEndpoint() is null;

    public static bool IsApiPath(PathString path) => ApiPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static bool DevSignInEnabled(ConsoleOptions options, IHostEnvironment environment) =>
        options.DevSignIn ?? environment.IsDevelopment();

    public static void AddConsoleAuth(this WebApplicationBuilder builder)
    {
        var console = builder.Read<ConsoleOptions>(ConsoleOptions.Section);
        var openId = builder.Read<OpenIdSettings>(OpenIdSettings.Section);
        var useOpenId = !string.IsNullOrWhiteSpace(openId.Authority);
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section);

        var authentication = builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = Scheme;
            options.DefaultChallengeScheme = Scheme;
        });
        authentication.AddPolicyScheme(Scheme, "Bearer for the API, the console's cookie elsewhere", options =>
            options.ForwardDefaultSelector = context => UsesBearer(context) ? JwtBearerDefaults.AuthenticationScheme : CookieScheme);
        authentication.AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = "coaching.console";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.AccessDeniedPath = "/denied";
            if (useOpenId)
            {
                options.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
            }

            options.Events.OnValidatePrincipal = ApplyDirectoryStanding;
        });
        if (useOpenId)
        {
            authentication.AddOpenIdConnect();
            builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
                .BindConfiguration(OpenIdSettings.Section)
                .PostConfigure(options =>
                {
                    options.SignInScheme = CookieScheme;
                    options.ResponseType = "code";
                    options.UsePkce = true;
                    options.MapInboundClaims = false;
                    options.GetClaimsFromUserInfoEndpoint = false;
                    options.SaveTokens = false;
                    options.TokenValidationParameters.NameClaimType = "sub";
                    options.TokenValidationParameters.RoleClaimType = "role";
                    options.Scope.Clear();
                    options.Scope.Add("openid");
                    options.Scope.Add("profile");
                    options.Scope.Add("roles");
                    options.CallbackPath = "/signin-oidc";
                    options.SignedOutCallbackPath = "/signout-callback-oidc";
                    options.Events.OnTokenValidated = KeepTokenClaims;
                });
        }
    }

    /// <summary>Warns at every start when the development sign-in is on outside Development.</summary>
    public static void WarnAboutDevSignIn(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        if (DevSignInEnabled(options, app.Environment) && !app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning(
                "The console's development sign-in is on ({Key}=true) in environment {Environment}: anyone who reaches /signin can act as any user with any role. Turn it off outside demos.",
                ConsoleOptions.Section + ":" + nameof(ConsoleOptions.DevSignIn), app.Environment.EnvironmentName);
        }
    }

    public static void MapConsoleAuth(this IEndpointRouteBuilder app)
    {
        // Antiforgery is checked in the handler, after the switch: with the development sign-in off there is no such
        // route at all (404), whatever the request carries.
        // The Razor component at /signin takes posts too: this route goes first.
        app.MapPost(SignInPath, SignIn).AllowAnonymous().DisableAntiforgery().WithOrder(-1).ExcludeFromDescription();
        app.MapGet(SignOutPath, (Delegate)SignOut).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/signin/oidc", (string? returnUrl) =>
            TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>The development sign-in: the form of <c>/signin</c> posts here, with its antiforgery token.</summary>
    private static async Task<IResult> SignIn(HttpContext http, IOptions<ConsoleOptions> options, IHostEnvironment environment, IAntiforgery antiforgery)
    {
        if (!DevSignInEnabled(options.Value, environment))
        {
            return TypedResults.NotFound();
        }

        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest();
        }

        var form = await http.Request.ReadFormAsync();
        var user = form["User"].FirstOrDefault()?.Trim();
        if (!RequestChecks.IsId(user))
        {
            return TypedResults.LocalRedirect($"{SignInPath}?error=user&user={Uri.EscapeDataString(user ?? "")}");
        }

        var claims = new List<Claim> { new("sub", user!) };
        claims.AddRange(form["Roles"].OfType<string>().Where(Auth.Roles.All.Contains).Distinct().Select(r => new Claim("role", r)));
        claims.AddRange(form["Permissions"].OfType<string>().Where(p => p is Auth.Permissions.ViewSuggestions or Auth.Permissions.CreateSuggestions)
            .Distinct().Select(p => new Claim(Auth.Permissions.ClaimType, p)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "dev-sign-in", "sub", "role"));
        await http.SignInAsync(CookieScheme, principal);
        return TypedResults.LocalRedirect(LocalOrHome(form["ReturnUrl"].FirstOrDefault()));
    }

    private static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(CookieScheme);
        return TypedResults.LocalRedirect(SignInPath);
    }

    public static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    /// <summary>A user the directory deleted or deactivated signs in as nobody, as its token would on the API.</summary>
    private static async Task ApplyDirectoryStanding(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue("sub") is { Length: > 0 } userId)
        {
            await context.HttpContext.RequestServices.GetRequiredService<DirectoryAccess>().Apply(context.Principal, userId);
        }
    }

    /// <summary>The identity provider's <c>sub</c>, <c>role</c> and <c>permission</c> claims become the cookie's, as the API reads them.</summary>
    private static Task KeepTokenClaims(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context)
    {
        if (context.Principal?.FindFirstValue("sub") is not { Length: > 0 } userId || !RequestChecks.IsId(userId))
        {
            context.Fail("The identity provider's token names no usable user ('sub').");
            return Task.CompletedTask;
        }

        // Permissions given as one space-delimited claim are split by PermissionClaims, as for tokens.
        var claims = new List<Claim> { new("sub", userId) };
        claims.AddRange(context.Principal.FindAll(c => c.Type is "role" or Auth.Permissions.ClaimType).Select(c => new Claim(c.Type, c.Value)));
        if (context.Principal.FindFirstValue("name") is { Length: > 0 } name)
        {
            claims.Add(new Claim("name", name));
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, OpenIdConnectDefaults.AuthenticationScheme, "sub", "role"));
        return Task.CompletedTask;
    }
}

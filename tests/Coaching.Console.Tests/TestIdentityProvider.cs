using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Coaching.Console.Tests;

/// <summary>
/// A real OpenID Connect provider (OpenIddict, authorization code + PKCE) on a loopback Kestrel port, in the test
/// process. It knows one confidential client and signs in one fixed user without asking (no UI): the user's
/// <c>sub</c>, <c>role</c> and <c>permission</c> claims go into the ID token. Degraded mode: no database, the
/// client and its redirect address are checked by the handlers below, codes are self-contained.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "coaching-console";
    public const string ClientSecret = "console-test-secret-0123456789";

    private readonly WebApplication app;

    private TestIdentityProvider(WebApplication app, string authority)
    {
        this.app = app;
        Authority = authority;
    }

    /// <summary>The issuer's address, e.g. <c>http://127.0.0.1:5123</c>.</summary>
    public string Authority { get; }

    /// <summary>The only redirect address the client may use; set once the console's port is known.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Who signs in at the authorization endpoint.</summary>
    public TestUser User { get; set; } = new("coach-ana", ["coach"], []);

    /// <summary>Every authorization request as the server saw it.</summary>
    public ConcurrentQueue<SeenAuthorization> Authorizations { get; } = new();

    /// <summary>Every code redeemed at the token endpoint, with the verifier that came with it.</summary>
    public ConcurrentQueue<SeenToken> Tokens { get; } = new();

    public sealed record TestUser(string Subject, string[] Roles, string[] Permissions);

    public sealed record SeenAuthorization(string? ClientId, string? RedirectUri, string? CodeChallenge, string? CodeChallengeMethod, string? Scope);

    public sealed record SeenToken(string? GrantType, string? CodeVerifier);

    public static async Task<TestIdentityProvider> Start()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRouting();
        TestIdentityProvider? self = null;
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            options.EnableDegradedMode();
            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .DisableTransportSecurityRequirement();
            options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri is null || context.RedirectUri != self!.RedirectUri)
                {
                    context.Reject(Errors.InvalidRequest, "Unknown redirect_uri.");
                }

                return default;
            }));
            options.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        app.UseRouting();
        app.UseAuthentication();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext http) => self!.Authorize(http));
        app.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)(http => self!.Token(http)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new TestIdentityProvider(app, address.TrimEnd('/'));
        return self;
    }

    /// <summary>Auto-approves: the fixed user, with the scopes asked for, claims bound for both tokens.</summary>
    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        Authorizations.Enqueue(new(request.ClientId, request.RedirectUri, request.CodeChallenge, request.CodeChallengeMethod, request.Scope));
        var user = User;
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Name, "Test " + user.Subject));
        identity.AddClaims(user.Roles.Select(r => new Claim(Claims.Role, r)));
        identity.AddClaims(user.Permissions.Select(p => new Claim("permission", p)));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Redeems a code (OpenIddict has checked it, its client, redirect address and PKCE verifier): the same principal again.</summary>
    private async Task<IResult> Token(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        Tokens.Enqueue(new(request.GrantType, request.CodeVerifier));
        if (!request.IsAuthorizationCodeGrantType())
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return Results.SignIn(result.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

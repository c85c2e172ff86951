using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Coaching.Api.Auth;

public sealed class TokenOptions
{
    public const string Section = "Coaching:Auth";
    public const string ClockSkewKey = Section + ":" + nameof(ClockSkew);

    /// <summary>
    /// How far past its expiry (or before its start) a token is still accepted, for clocks that disagree a little.
    /// The library's 5 minutes would keep a revoked session alive too long; ours is 30 s.
    /// </summary>
    public ConfiguredDuration ClockSkew { get; set; } = ConfiguredDuration.FromSeconds(30);
}

public static class AuthSetup
{
    /// <summary>
    /// JWT bearer from the standard <c>Authentication:Schemes:Bearer</c> section (the one <c>dotnet user-jwts</c>
    /// writes): issuer, audiences and keys are configuration, so a test key or an OIDC authority work alike.
    /// That section has no clock skew key, so ours is <c>Coaching:Auth:ClockSkew</c>.
    /// </summary>
    public static IServiceCollection AddCoachingAuth(this IServiceCollection services)
    {
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section)
            .Validate(o => o.ClockSkew >= TimeSpan.Zero, $"{TokenOptions.ClockSkewKey} must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<DirectoryAccess>();
        // The default scheme is chosen by path (Web/ConsoleAuth): bearer tokens for the API, the console's cookie elsewhere.
        services.AddAuthentication().AddJwtBearer();
        services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, PermissionClaims>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<IOptions<TokenOptions>>((options, tokens) =>
        {
            // Keep the token's own claim names: `sub` is the user id, `role` the roles.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = "sub";
            options.TokenValidationParameters.RoleClaimType = "role";
            options.TokenValidationParameters.ClockSkew = tokens.Value.ClockSkew;
            options.Events ??= new JwtBearerEvents();
            options.Events.OnTokenValidated = RefuseWithoutUser;
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Directory, p => p.RequireRole(Roles.Admin, Roles.Integration))
            .AddPolicy(Policies.Integration, p => p.RequireRole(Roles.Integration))
            .AddPolicy(Policies.SuggestSessions, p => p
                .RequireRole(Roles.Supervisor)
                .RequireClaim(Permissions.ClaimType, Permissions.CreateSuggestions))
            .AddPolicy(Policies.AnyRole, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.People, p => p.RequireRole(Roles.Admin, Roles.Supervisor, Roles.Coach, Roles.Agent));
        return services;
    }

    /// <summary>
    /// Every route, inbox and rate-limit bucket is keyed by <c>sub</c>: a token that names no one (the claim absent,
    /// blank, or given twice) is no caller at all, so it fails authentication here and no route ever sees it. A user
    /// the directory deleted or deactivated keeps a valid token but acts as nobody (<see cref="DirectoryAccess"/>).
    /// </summary>
    private static async Task RefuseWithoutUser(TokenValidatedContext context)
    {
        var subjects = context.Principal?.FindAll("sub").Take(2).ToList() ?? [];
        if (subjects.Count != 1 || string.IsNullOrWhiteSpace(subjects[0].Value))
        {
            context.Fail("The token names no user: it needs exactly one non-blank 'sub' claim.");
            return;
        }

        await context.HttpContext.RequestServices.GetRequiredService<DirectoryAccess>().Apply(context.Principal!, subjects[0].Value);
    }
}

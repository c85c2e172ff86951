using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Coaching.Api.Auth;

public static class AuthSetup
{
    /// <summary>
    /// JWT bearer from the standard <c>Authentication:Schemes:Bearer</c> section (the one <c>dotnet user-jwts</c>
    /// writes): issuer, audiences and keys are configuration, so a test key or an OIDC authority work alike.
    /// </summary>
    public static IServiceCollection AddCoachingAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, PermissionClaims>();
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            // Keep the token's own claim names: `sub` is the user id, `role` the roles.
            options.MapInboundClaims = false;
            options.TokenValidationParameters.NameClaimType = "sub";
            options.TokenValidationParameters.RoleClaimType = "role";
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
}

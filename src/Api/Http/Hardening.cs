using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Coaching.Api.Http;

/// <summary>What every answer carries and what failed tokens do not tell, whatever the route.</summary>
public static class Hardening
{
    /// <summary>
    /// Outside Development a refused token gets a bare <c>WWW-Authenticate: Bearer</c>: naming the failed check (issuer,
    /// lifetime, key) tells an attacker which part of a forged token to fix. Development keeps the details for
    /// whoever is setting up tokens.
    /// </summary>
    public static IServiceCollection AddQuietTokenErrors(this IServiceCollection services, IHostEnvironment environment) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            options => options.IncludeErrorDetails = environment.IsDevelopment());

    /// <summary>
    /// <c>nosniff</c>, no framing and no referrer on every response, errors and anonymous routes included. Set as the
    /// response starts, so an error answer (whose handler clears the headers) carries them too. No content policy
    /// beyond these, so the API reference page's scripts and styles load as before.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Coaching.Api.OpenApi;

/// <summary>The <c>Coaching:OpenApi</c> section.</summary>
public sealed class ApiDocumentOptions
{
    public const string Section = "Coaching:OpenApi";

    /// <summary>
    /// The one server URL the OpenAPI document names (e.g. <c>https://coaching.example.com</c>); unset, it names none
    /// and clients use the URL they fetched it from. Never the request's <c>Host</c>, which any caller can set.
    /// </summary>
    public Uri? ServerUrl { get; set; }
}

public static class OpenApiSetup
{
    public static IServiceCollection AddCoachingOpenApi(this IServiceCollection services)
    {
        services.AddOptions<ApiDocumentOptions>().BindConfiguration(ApiDocumentOptions.Section)
            .Validate(o => o.ServerUrl is null || (o.ServerUrl.IsAbsoluteUri && o.ServerUrl.Scheme is "http" or "https"),
                $"{ApiDocumentOptions.Section}:{nameof(ApiDocumentOptions.ServerUrl)} must be an absolute http or https URL.")
            .ValidateOnStart();
        return services.AddOpenApi("v1", o => o.AddDocumentTransformer<BearerScheme>());
    }

    /// <summary>Declares the bearer token so the reference page can send one, and the configured server URL (or none).</summary>
    private sealed class BearerScheme(IOptions<ApiDocumentOptions> options) : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info.Title = "Coaching API";
            document.Info.Description = "Coaching moments, coaching assessments and suggested coaching sessions.";
            // The framework fills in the request's scheme and Host: a forged Host header would be echoed to readers.
            document.Servers = options.Value.ServerUrl is { } url ? [new OpenApiServer { Url = url.ToString().TrimEnd('/') }] : [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose `sub` is the user id, with `role` and `permission` claims.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            return Task.CompletedTask;
        }
    }
}

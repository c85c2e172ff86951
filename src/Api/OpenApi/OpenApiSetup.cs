using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coaching.Api.OpenApi;

public static class OpenApiSetup
{
    public static IServiceCollection AddCoachingOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer(new BearerScheme()));

    /// <summary>Declares the bearer token so the reference page can send one.</summary>
    private sealed class BearerScheme : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info.Title = "Coaching API";
            document.Info.Description = "Coaching moments, coaching assessments and suggested coaching sessions.";
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

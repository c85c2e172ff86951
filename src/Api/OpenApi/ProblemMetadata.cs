using Microsoft.AspNetCore.Mvc;

namespace Coaching.Api.OpenApi;

public static class ProblemMetadata
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>Documents the ProblemDetails answers a route (or a group of routes) can give.</summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, ProblemJson));
        }

        return builder;
    }

    /// <summary>What any authenticated route can answer: malformed, unauthenticated, forbidden, throttled, unavailable.</summary>
    public static TBuilder StandardProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Problems(400, 401, 403, 413, 429, 503);
}

using Coaching.Silo.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Coaching.Api.Errors;

public static class ProblemSetup
{
    /// <summary>Every error answer is a ProblemDetails with a <c>code</c>; the status decides it when no code was set.</summary>
    public static IServiceCollection AddCoachingProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var extensions = ctx.ProblemDetails.Extensions;
            if (!extensions.ContainsKey("code"))
            {
                extensions["code"] = CodeFor(ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode);
            }

            extensions.Remove("exception");
            extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ClientErrorHandler>();
        // Binding failures (bad JSON, wrong types) reach the exception handler instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static string CodeFor(int status) => status switch
    {
        400 => Problems.InvalidRequest,
        401 => "unauthenticated",
        403 => Problems.ForbiddenCode,
        404 => Problems.NotFoundCode,
        405 => "method-not-allowed",
        409 => Problems.InvalidState,
        413 => "body-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        503 => "unavailable",
        _ => status >= 500 ? "internal-error" : "client-error",
    };
}

/// <summary>
/// Maps what clients can cause (malformed bodies, oversized bodies) and transient cluster or database trouble to
/// ProblemDetails. A database error that a retry cannot cure (<see cref="DatabaseErrors"/>) is a logged 500, never a
/// 503 that invites the client to send the same request forever.
/// </summary>
internal sealed partial class ClientErrorHandler(IProblemDetailsService problems, ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Answer(exception);
        if (status >= 500)
        {
            LogServerError(logger, exception, httpContext.Request.Path);
            if (status == 503)
            {
                httpContext.Response.Headers.RetryAfter = "1";
            }
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Status, title and detail for an exception no endpoint handled.</summary>
    internal static (int Status, string Title, string? Detail) Answer(Exception exception) => exception switch
    {
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413 ? "The request body is too large." : "The request is malformed.", Describe(bad)),
        _ when DatabaseErrors.Classify(exception) is { } kind => kind == DatabaseErrorKind.Transient ? Unavailable : Unexpected,
        TimeoutException or OrleansException => Unavailable,
        _ => Unexpected,
    };

    private static readonly (int, string, string?) Unavailable =
        (503, "The service is temporarily unavailable.", "Try again shortly; the request may be retried with the same identifiers.");

    private static readonly (int, string, string?) Unexpected = (500, "An unexpected error occurred.", null);

    // The framework's message names the parameter; the inner JSON error says where the body went wrong.
    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;

    [LoggerMessage(Level = LogLevel.Error, Message = "Request to {Path} failed")]
    private static partial void LogServerError(ILogger logger, Exception exception, PathString path);
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Errors;

/// <summary>
/// The error answers of API.md, each a ProblemDetails with a <c>code</c>, and all of one type
/// (<see cref="ProblemHttpResult"/>): a handler's typed results are its success and problems, so a result from a
/// grain or a request check is translated here once and no handler needs to adapt one result type to another.
/// </summary>
public static class Problems
{
    public const string InvalidRequest = Refusal.Codes.InvalidRequest;
    public const string InvalidState = Refusal.Codes.InvalidState;
    public const string NotFoundCode = "not-found";
    public const string ForbiddenCode = "forbidden";
    public const string TooManyStreamsCode = "too-many-streams";

    public static ProblemHttpResult Rule(string code, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The request was refused by a business rule.", extensions: Code(code));

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, extensions: Code(NotFoundCode));

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict,
            title: "The current state does not allow this.", extensions: Code(InvalidState));

    /// <summary>400 <c>invalid-request</c> with the errors per field, for request checks and refusals alike.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is malformed.",
            Extensions = { ["code"] = InvalidRequest },
        });

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>429 for a live stream over the user's cap; the caller sets <c>Retry-After</c>.</summary>
    public static ProblemHttpResult TooManyStreams(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many live streams.",
            extensions: Code(TooManyStreamsCode));

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, extensions: Code(ForbiddenCode));

    /// <summary>
    /// The one mapping from a domain refusal to HTTP. A caller refused an action on something it may not even
    /// see gets 404 (<paramref name="callerCanSee"/> false), so ids cannot be probed; one that sees it, 403.
    /// </summary>
    public static ProblemHttpResult From(Refusal refusal, bool callerCanSee = true) => refusal.Kind switch
    {
        RefusalKind.InvalidState => Conflict(refusal.Message),
        RefusalKind.NotAllowed => callerCanSee ? Forbidden(refusal.Message) : NotFound(refusal.Message),
        RefusalKind.InvalidRequest => Invalid(
            refusal.Reasons.GroupBy(r => r.Field ?? "body").ToDictionary(g => g.Key, g => g.Select(r => r.Message).ToArray())),
        _ => TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The request was refused by a business rule.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = refusal.Code,
                ["reasons"] = refusal.Reasons.Select(r => new { code = r.Code, message = r.Message, field = r.Field }).ToArray(),
            }),
    };

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };
}

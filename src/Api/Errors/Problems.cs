using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Errors;

/// <summary>The error answers of API.md, each a ProblemDetails with a <c>code</c>.</summary>
public static class Problems
{
    public const string InvalidRequest = "invalid-request";
    public const string InvalidState = "invalid-state";
    public const string NotFoundCode = "not-found";

    public static ProblemHttpResult Rule(string code, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The request was refused by a business rule.", extensions: Code(code));

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, extensions: Code(NotFoundCode));

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict,
            title: "The current state does not allow this.", extensions: Code(InvalidState));

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is malformed.", extensions: Code(InvalidRequest));

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };
}

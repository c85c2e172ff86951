using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Coaching.Api.Web;

/// <summary>A refusal as the console shows it: the API's problem, and the sentence a person reads.</summary>
public sealed record ConsoleProblem(int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<ConsoleProblem.Reason> Reasons)
{
    public sealed record Reason(string Code, string Message, string? Field);

    /// <summary>The sentence for the whole problem (<see cref="Sentences"/>).</summary>
    public string Sentence => Sentences.For(this);

    /// <summary>What is wrong with one field, as sentences; empty when the problem does not name it.</summary>
    public IReadOnlyList<string> ForField(string field) =>
    [
        .. Errors.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value.Select(m => Sentences.FieldMessage(e.Key, m))),
        .. Reasons.Where(r => string.Equals(r.Field, field, StringComparison.OrdinalIgnoreCase)).Select(r => Sentences.ForCode(r.Code, r.Message)),
    ];

    public static ConsoleProblem Of(ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var code = problem.Extensions.TryGetValue("code", out var c) && c is string s ? s : "error";
        IReadOnlyDictionary<string, string[]> errors = problem is HttpValidationProblemDetails v ? v.Errors.ToDictionary() : new Dictionary<string, string[]>();
        var reasons = new List<Reason>();
        if (problem.Extensions.TryGetValue("reasons", out var r) && r is System.Collections.IEnumerable items)
        {
            foreach (var item in items)
            {
                var type = item.GetType();
                reasons.Add(new Reason(
                    type.GetProperty("code")?.GetValue(item) as string ?? code,
                    type.GetProperty("message")?.GetValue(item) as string ?? "",
                    type.GetProperty("field")?.GetValue(item) as string));
            }
        }

        return new ConsoleProblem(problem.Status ?? 500, code, problem.Detail ?? problem.Title ?? "", errors, reasons);
    }

    public static ConsoleProblem NotAllowed() =>
        new(StatusCodes.Status403Forbidden, Coaching.Api.Errors.Problems.ForbiddenCode, "", new Dictionary<string, string[]>(), []);

    public static ConsoleProblem Unavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, "unavailable", "", new Dictionary<string, string[]>(), []);
}

/// <summary>What a console action came to: the API's answer or its problem.</summary>
public sealed record Outcome<T>(T? Value, ConsoleProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// The console acts through the API's own handlers (the same checks, rules and answers, called in process with the
/// signed-in user as the caller), so a screen can never do what the API would refuse that user. This unwraps what
/// a handler answers into a value or a <see cref="ConsoleProblem"/>.
/// </summary>
public static class ConsoleCalls
{
    public static async Task<Outcome<T>> Run<T, TResult>(Task<TResult> call)
        where TResult : IResult
    {
        try
        {
            return Unwrap<T>(await call);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return new Outcome<T>(default, ConsoleProblem.Unavailable());
        }
    }

    public static Outcome<T> Unwrap<T>(IResult result) => result switch
    {
        INestedHttpResult nested => Unwrap<T>(nested.Result),
        ProblemHttpResult problem => new Outcome<T>(default, ConsoleProblem.Of(problem.ProblemDetails)),
        IValueHttpResult<T> value => new Outcome<T>(value.Value, null),
        IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => new Outcome<T>(default, null),
        _ => throw new InvalidOperationException($"A handler answered {result.GetType().Name}, which the console does not read."),
    };
}

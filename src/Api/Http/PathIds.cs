using Coaching.Api.Errors;

namespace Coaching.Api.Http;

/// <summary>
/// Every id in a route's path (<c>{id}</c>, <c>{userId}</c>, <c>{caseId}</c>, ...) keeps the one id rule
/// (<see cref="TextRule.Id"/>) before any handler runs: a malformed one is a 400 <c>invalid-request</c> naming the path
/// parameter, on every route alike, and never reaches a grain key.
/// </summary>
public sealed class PathIds : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var checks = new RequestChecks();
        foreach (var (name, value) in context.HttpContext.Request.RouteValues)
        {
            if (IsIdParameter(name) && value is string id)
            {
                checks.Id(name, id);
            }
        }

        return checks.Ok ? next(context) : ValueTask.FromResult<object?>(Problems.Invalid(checks.Errors));
    }

    /// <summary>Route parameters that name something by its id: <c>id</c> and every <c>...Id</c>.</summary>
    public static bool IsIdParameter(string name) =>
        name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Id", StringComparison.Ordinal);
}

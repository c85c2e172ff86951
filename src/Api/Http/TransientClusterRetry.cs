using Coaching.Silo.Storage;

namespace Coaching.Api.Http;

/// <summary>
/// While a silo leaves or joins, a grain call can be turned away (the message was rejected and never ran) or
/// find its silo gone. Such a request is run again, a few times, before the client sees a 503: a rejected call
/// is safe to repeat whatever it does; anything else only when the HTTP method is idempotent.
/// </summary>
public sealed partial class TransientClusterRetry(ILogger<TransientClusterRetry> logger) : IEndpointFilter
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception e) when (attempt < Backoff.Length && !context.HttpContext.Response.HasStarted && IsTransient(e, context.HttpContext.Request.Method))
            {
                LogRetry(logger, e.GetType().Name, context.HttpContext.Request.Path, attempt + 1);
                await Task.Delay(Backoff[attempt], context.HttpContext.RequestAborted);
            }
        }
    }

    // An idempotent request may be repeated whatever became of the first try; any other only when the cluster
    // turned it away before it ran (a silo that vanished is a kind of rejection, but may have run the call).
    // A database error inside (storage failures reach here wrapped) is retried only when it is transient.
    private static bool IsTransient(Exception e, string method) =>
        DatabaseErrors.Classify(e) is null or DatabaseErrorKind.Transient
        && (HttpMethods.IsGet(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)
            ? e is OrleansException or TimeoutException
            : e is OrleansMessageRejectionException and not SiloUnavailableException);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Exception} on {Path}; trying again (attempt {Attempt})")]
    private static partial void LogRetry(ILogger logger, string exception, PathString path, int attempt);
}

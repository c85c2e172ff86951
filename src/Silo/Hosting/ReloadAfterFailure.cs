using Coaching.Silo.Storage;

namespace Coaching.Silo;

/// <summary>
/// Orleans keeps an activation's in-memory state when a write of it fails, so a grain whose write failed would go on
/// serving what was never stored (and a retry could take it for done). Our grains answer refusals as values and throw
/// only for trouble outside them (storage, the cluster) or a bug: after any exception the activation is dropped, and
/// the next call reads the state as stored.
/// </summary>
public sealed class ReloadAfterFailure : IIncomingGrainCallFilter
{
    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (context.TargetContext is { } grain)
        {
            grain.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "A call failed; the state is read again from storage."));
            // A database driver's exceptions cannot cross to the caller (no codec for them): say the same in an
            // exception that can. Only a transient failure becomes an Orleans exception, which callers treat as
            // "unavailable, retry"; data the server refuses, or a bug, fails the same way every time and must not
            // be retried (an InvalidOperationException: a logged 500 at the API).
            if (DatabaseErrors.Classify(e) is { } kind)
            {
                var causes = string.Join(" <- ", Causes(e).Select(c => c.Message));
                throw kind == DatabaseErrorKind.Transient
                    ? new OrleansException($"Storage is unavailable: {causes}")
                    : new InvalidOperationException($"Storage refused the call ({kind}): {causes}");
            }

            throw;
        }
    }
}

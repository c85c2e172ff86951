namespace Coaching.Moments;

/// <summary>
/// The random-sample step (SPEC.md A, step 5). The draw is a pure function of (opportunity, event id), so a
/// retried or replayed event gets the same answer on any silo.
/// </summary>
public static class Sampling
{
    /// <summary>A uniform number in [0, 1) fixed for this opportunity and event.</summary>
    public static double Draw(string opportunityId, string eventId)
    {
        ArgumentNullException.ThrowIfNull(opportunityId);
        ArgumentNullException.ThrowIfNull(eventId);
        return StableHash.ToUnit(StableHash.Of(opportunityId, eventId));
    }

    /// <summary>
    /// Whether the event is kept. <paramref name="samplePercent"/> is 0..100 (decimals allowed): 0 keeps none,
    /// 100 keeps all. A trainee on the opportunity's "coached on every opportunity" list always passes.
    /// </summary>
    public static bool Passes(string opportunityId, string eventId, double samplePercent, bool alwaysCoach = false)
    {
        if (alwaysCoach || samplePercent >= 100)
        {
            return true;
        }

        // Also false for NaN.
        if (!(samplePercent > 0))
        {
            return false;
        }

        return Draw(opportunityId, eventId) * 100 < samplePercent;
    }
}

namespace Coaching.Moments;

/// <summary>
/// Picks the coach for a trainee from a coach group by rendezvous (highest-random-weight) hashing: every
/// candidate gets a stable score for this trainee and the best one wins. A trainee keeps their coach while
/// that coach stays eligible; a member joining takes over only the trainees it now scores best for, and a
/// member leaving moves only its own trainees.
/// </summary>
public static class CoachAssignment
{
    /// <summary>
    /// The coach for <paramref name="traineeId"/> among <paramref name="eligibleMembers"/> (the group's active,
    /// non-deleted members, filtered by the caller), never the trainee; null when nobody is eligible, so the
    /// assessment waits unassigned in the group queue.
    /// </summary>
    public static string? Choose(string traineeId, IEnumerable<string> eligibleMembers)
    {
        ArgumentNullException.ThrowIfNull(traineeId);
        ArgumentNullException.ThrowIfNull(eligibleMembers);
        string? best = null;
        var bestScore = 0UL;
        foreach (var member in eligibleMembers)
        {
            if (string.IsNullOrWhiteSpace(member) || string.Equals(member, traineeId, StringComparison.Ordinal))
            {
                continue;
            }

            var score = StableHash.Of(traineeId, member);
            // Ties (practically never) go to the ordinally smaller id so the order of members does not matter.
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(member, best) < 0))
            {
                best = member;
                bestScore = score;
            }
        }

        return best;
    }
}

namespace Coaching.Moments;

/// <summary>What the Trainee grain knows about one candidate assessment when it decides.</summary>
/// <param name="OpportunityId">The opportunity that matched.</param>
/// <param name="PreventDuplicates">The opportunity's prevent-duplicates flag.</param>
/// <param name="DuplicateWindow">Its duplicate window; zero or negative suppresses nothing.</param>
/// <param name="SampledIn">The result of <see cref="Sampling.Passes"/> (always-coach already applied).</param>
/// <param name="Budget">The trainee's optional budget across all opportunities.</param>
public sealed record CoachingRequest(
    string OpportunityId,
    bool PreventDuplicates,
    TimeSpan DuplicateWindow,
    bool SampledIn,
    CoachingBudget? Budget = null);

/// <summary>
/// The Trainee grain's decision for a matching event, after trainee checks (SPEC.md A steps 4-6 and C):
/// duplicate window first, then sampling, then the budget. The budget comes last so events that would not
/// have created anything do not use it up; it also applies to always-coach trainees, since it is an explicit
/// cap. Because the grain runs one call at a time, deciding and recording the new assessment in the same call
/// gives exactly one assessment per window even under concurrent events.
/// </summary>
public static class CoachingWindow
{
    public static EventOutcome Decide(CoachingRequest request, IEnumerable<PriorAssessment> prior, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prior);
        if (request.PreventDuplicates && IsDuplicate(request.OpportunityId, request.DuplicateWindow, prior, now))
        {
            return EventOutcome.SuppressedDuplicate;
        }

        if (!request.SampledIn)
        {
            return EventOutcome.SampledOut;
        }

        if (request.Budget is { } budget && IsOverBudget(budget, prior, now))
        {
            return EventOutcome.BudgetExceeded;
        }

        return EventOutcome.Created;
    }

    /// <summary>Whether the trainee got an assessment from this opportunity less than <paramref name="window"/> ago
    /// (one stamped in the future, e.g. by clock skew between silos, counts as inside).</summary>
    public static bool IsDuplicate(string opportunityId, TimeSpan window, IEnumerable<PriorAssessment> prior, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (window <= TimeSpan.Zero)
        {
            return false;
        }

        foreach (var p in prior)
        {
            if (string.Equals(p.OpportunityId, opportunityId, StringComparison.Ordinal) && InWindow(p.CreatedAt, window, now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the trainee already has <see cref="CoachingBudget.MaxAssessments"/> or more assessments
    /// (any opportunity) within the budget window. A budget of 0 allows none.</summary>
    public static bool IsOverBudget(CoachingBudget budget, IEnumerable<PriorAssessment> prior, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(prior);
        if (budget.MaxAssessments <= 0)
        {
            return true;
        }

        var count = 0;
        foreach (var p in prior)
        {
            if (InWindow(p.CreatedAt, budget.Window, now) && ++count >= budget.MaxAssessments)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entries still inside <paramref name="longestWindow"/> (the longest duplicate or budget window
    /// in use), so the grain's state stays a window's worth.</summary>
    public static List<PriorAssessment> Retain(IEnumerable<PriorAssessment> prior, DateTimeOffset now, TimeSpan longestWindow)
    {
        ArgumentNullException.ThrowIfNull(prior);
        return prior.Where(p => InWindow(p.CreatedAt, longestWindow, now)).ToList();
    }

    private static bool InWindow(DateTimeOffset createdAt, TimeSpan window, DateTimeOffset now) => now - createdAt < window;
}

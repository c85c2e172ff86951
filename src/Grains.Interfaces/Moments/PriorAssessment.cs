namespace Coaching.Moments;

/// <summary>An assessment a trainee already got: what the duplicate window and the budget look at.
/// Small on purpose so the Trainee grain can keep a window's worth of them in its state.</summary>
[GenerateSerializer, Immutable, Alias("coaching.prior-assessment")]
public readonly record struct PriorAssessment(
    [property: Id(0)] string OpportunityId,
    [property: Id(1)] DateTimeOffset CreatedAt);

/// <summary>Optional per-trainee cap: at most <see cref="MaxAssessments"/> assessments, across all
/// opportunities, within any <see cref="Window"/>.</summary>
[GenerateSerializer, Immutable, Alias("coaching.coaching-budget")]
public sealed record CoachingBudget(
    [property: Id(0)] int MaxAssessments,
    [property: Id(1)] TimeSpan Window);

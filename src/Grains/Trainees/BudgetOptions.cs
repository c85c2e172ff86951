using Coaching.Moments;

namespace Coaching.Trainees;

/// <summary>
/// The <c>Coaching:Budget</c> section: at most <see cref="MaxAssessments"/> assessments per trainee within
/// <see cref="Window"/> (ISO 8601 or <c>d.hh:mm:ss</c>). Off unless both are set; checked at start
/// (<see cref="GrainSettings"/>).
/// </summary>
public sealed class BudgetOptions
{
    public const string Section = "Coaching:Budget";

    public int? MaxAssessments { get; set; }

    public ConfiguredDuration? Window { get; set; }

    /// <summary>The budget every trainee keeps to; null when off.</summary>
    public CoachingBudget? ToBudget() =>
        MaxAssessments is { } max && Window is { } window ? new CoachingBudget(max, window) : null;
}

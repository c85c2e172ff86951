using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>
/// Everything needed to create an assessment, taken from the opportunity version that matched the
/// event. <see cref="CoachId"/> is the coach chosen by assignment (null: unassigned in the queue);
/// it is ignored in virtual mode.
/// </summary>
public sealed record AssessmentCreation(
    string Id,
    string OpportunityId,
    int OpportunityVersion,
    string TraineeId,
    string? CoachId,
    string? CoachGroupId,
    AssessmentSource? Source,
    DateTimeOffset CreatedAt,
    TimeSpan Duration,
    bool CloseOnExpiry,
    CompletionMode Completion)
{
    public ImmutableDictionary<string, string?> Snapshot { get; init; } = ImmutableDictionary<string, string?>.Empty;
    public string? ScriptError { get; init; }
    public ImmutableList<LearningTask> LearningTasks { get; init; } = [];
    public ImmutableList<RecommendedLearning> RecommendedLearnings { get; init; } = [];
    public string? TraineeSurveyId { get; init; }
    public string? CoachSurveyId { get; init; }
}

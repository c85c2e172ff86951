using System.Collections.Immutable;
using Coaching.Assessments;

namespace Coaching.Opportunities;

/// <summary>A recommended learning or virtual coaching item as a client wrote it, before it is checked.</summary>
[GenerateSerializer, Immutable, Alias("coaching.learning-draft")]
public sealed record LearningDraft(
    [property: Id(0)] string? Title,
    [property: Id(1)] string? Url);

/// <summary>
/// The command to save an opportunity: what a client (the API, the console) wrote, unchecked and without defaults.
/// The moment is JSON text; durations are ISO 8601 text. <c>OpportunityValidator</c> turns it into an
/// <see cref="OpportunityDefinition"/> or refuses it.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.opportunity-draft")]
public sealed record OpportunityDraft
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public bool? Active { get; init; }
    [Id(3)] public string? SourceTable { get; init; }
    [Id(4)] public string? TraineeField { get; init; }
    [Id(5)] public string? TraineeGroup { get; init; }
    [Id(6)] public string? CoachGroup { get; init; }
    [Id(7)] public string? MomentJson { get; init; }
    [Id(8)] public ImmutableArray<string?>? SnapshotFields { get; init; }
    [Id(9)] public string? CaptureScript { get; init; }
    [Id(10)] public double? RandomSamplePercent { get; init; }
    [Id(11)] public ImmutableArray<string?>? AlwaysCoach { get; init; }
    [Id(12)] public string? AssessmentDuration { get; init; }
    [Id(13)] public bool? CloseOnExpiry { get; init; }
    [Id(14)] public bool? PreventDuplicates { get; init; }
    [Id(15)] public string? DuplicateWindow { get; init; }
    [Id(16)] public string? TraineeSurvey { get; init; }
    [Id(17)] public string? CoachSurvey { get; init; }
    [Id(18)] public string? ImprovementKpi { get; init; }
    [Id(19)] public string? StrategicObjective { get; init; }
    [Id(20)] public ImmutableArray<LearningDraft?>? RecommendedLearnings { get; init; }
    [Id(21)] public CompletionMode? Completion { get; init; }
    [Id(22)] public ImmutableArray<LearningDraft?>? VirtualCoachItems { get; init; }
}

/// <summary>What a save answers: the saved version, or why the draft was refused (nothing saved).</summary>
[GenerateSerializer, Immutable, Alias("coaching.opportunity-save")]
public sealed record OpportunitySave(
    [property: Id(0)] Opportunity? Saved,
    [property: Id(1)] Refusal? Refusal);

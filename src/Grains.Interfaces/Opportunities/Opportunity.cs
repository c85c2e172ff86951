using System.Collections.Immutable;
using Coaching.Assessments;

namespace Coaching.Opportunities;

/// <summary>
/// What an administrator defines (SPEC.md part A). The moment is kept as its validated JSON text so the
/// definition round-trips through grain storage unchanged; the pipeline parses it once per version.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.opportunity-definition")]
public sealed record OpportunityDefinition
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public bool Active { get; init; } = true;
    [Id(3)] public string SourceTable { get; init; } = "";
    [Id(4)] public string TraineeField { get; init; } = "";
    [Id(5)] public string? TraineeGroup { get; init; }
    [Id(6)] public string? CoachGroup { get; init; }
    /// <summary>The coaching moment as JSON, in the shape MomentWriter writes.</summary>
    [Id(7)] public string MomentJson { get; init; } = "";
    [Id(8)] public ImmutableArray<string> SnapshotFields { get; init; } = [];
    [Id(9)] public string? CaptureScript { get; init; }
    [Id(10)] public double RandomSamplePercent { get; init; } = 100;
    [Id(11)] public ImmutableArray<string> AlwaysCoach { get; init; } = [];
    [Id(12)] public TimeSpan AssessmentDuration { get; init; } = TimeSpan.FromDays(5);
    [Id(13)] public bool CloseOnExpiry { get; init; } = true;
    [Id(14)] public bool PreventDuplicates { get; init; }
    [Id(15)] public TimeSpan DuplicateWindow { get; init; }
    [Id(16)] public string? TraineeSurvey { get; init; }
    [Id(17)] public string? CoachSurvey { get; init; }
    [Id(18)] public string? ImprovementKpi { get; init; }
    [Id(19)] public string? StrategicObjective { get; init; }
    [Id(20)] public ImmutableArray<RecommendedLearning> RecommendedLearnings { get; init; } = [];
    [Id(21)] public CompletionMode Completion { get; init; } = CompletionMode.Coach;
    [Id(22)] public ImmutableArray<RecommendedLearning> VirtualCoachItems { get; init; } = [];
}

/// <summary>One saved version of an opportunity. Every save (edit, activation) makes a new version.</summary>
[GenerateSerializer, Immutable, Alias("coaching.opportunity")]
public sealed record Opportunity
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public int Version { get; init; }
    [Id(2)] public OpportunityDefinition Definition { get; init; } = new();
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An opportunity (key: its number, <c>COP0000001</c>...): the definition and its version.</summary>
[Alias("coaching.IOpportunityGrain")]
public interface IOpportunityGrain : IGrainWithStringKey
{
    /// <summary>The current version, or null when the number was never saved.</summary>
    [Alias("Get")] Task<Opportunity?> Get();

    /// <summary>
    /// Checks the draft (OpportunityValidator: malformed fields, the moment, the script, the groups, users and surveys
    /// it names) and, when it passes, saves it with its defaults as a new version (the first one creates it), publishes
    /// it to the catalog and pushes the catalog to every silo: events that arrive after the answer see it (a silo that
    /// does not acknowledge in time is logged, not waited for). A refused draft changes nothing.
    /// </summary>
    [Alias("Save")] Task<OpportunitySave> Save(OpportunityDraft draft);

    /// <summary>Sets the active flag as a new version; null when the opportunity does not exist.</summary>
    [Alias("SetActive")] Task<Opportunity?> SetActive(bool active);
}

/// <summary>The active opportunities as of one catalog version.</summary>
[GenerateSerializer, Immutable, Alias("coaching.opportunity-catalog-snapshot")]
public sealed record OpportunityCatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<Opportunity> Active);

/// <summary>
/// Numbers opportunities in order (one instance, key <see cref="Key"/>; creation is rare) and keeps the
/// versioned catalog every silo caches locally. Nothing on the per-event path calls it: a write pushes the version
/// <see cref="Publish"/> answers to every silo before it answers, and the pipeline polls <see cref="GetIfNewer"/> in
/// the background to repair a push a silo missed.
/// </summary>
[Alias("coaching.IOpportunityCatalogGrain")]
public interface IOpportunityCatalogGrain : IGrainWithStringKey
{
    const string Key = "all";

    /// <summary>The next number, persisted before it is returned, so numbers are never reused.</summary>
    [Alias("Reserve")] Task<string> Reserve();

    /// <summary>Records the latest version of an opportunity (the catalog version moves on) and answers the catalog.</summary>
    [Alias("Publish")] Task<OpportunityCatalogSnapshot> Publish(Opportunity opportunity);

    /// <summary>The active opportunities when the catalog moved past <paramref name="knownVersion"/>, else null.</summary>
    [Alias("GetIfNewer")] Task<OpportunityCatalogSnapshot?> GetIfNewer(long knownVersion);

    /// <summary>Every opportunity (active or not), in number order.</summary>
    [Alias("List")] Task<ImmutableArray<Opportunity>> List();
}

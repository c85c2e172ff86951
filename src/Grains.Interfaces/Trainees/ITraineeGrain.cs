using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Pipeline;

namespace Coaching.Trainees;

/// <summary>One matching opportunity's candidate assessment for a trainee, decided by the trainee grain.</summary>
/// <param name="SenderEventKey">See <see cref="EventKeys.For"/>; the decision is recorded under (opportunity, this).</param>
/// <param name="SampledIn">Result of the sampling draw with always-coach applied.</param>
/// <param name="Assessment">What to create when the outcome is created (its CreatedAt is set by the trainee grain).</param>
[GenerateSerializer, Immutable, Alias("coaching.coaching-candidate")]
public sealed record CoachingCandidate(
    [property: Id(0)] string SenderEventKey,
    [property: Id(1)] string OpportunityId,
    [property: Id(2)] string? TraineeGroup,
    [property: Id(3)] bool PreventDuplicates,
    [property: Id(4)] TimeSpan DuplicateWindow,
    [property: Id(5)] bool SampledIn,
    [property: Id(6)] NewAssessment Assessment);

/// <summary>
/// A trainee (key: user id): the only place where "one per window", sampling and the budget are decided.
/// Decisions that create an assessment are persisted before the answer.
/// </summary>
[Alias("coaching.ITraineeGrain")]
public interface ITraineeGrain : IGrainWithStringKey
{
    /// <summary>Decides each candidate in order (later ones see the earlier ones' assessments).</summary>
    [Alias("Decide")] Task<ImmutableArray<OpportunityOutcome>> Decide(ImmutableArray<CoachingCandidate> candidates);
}

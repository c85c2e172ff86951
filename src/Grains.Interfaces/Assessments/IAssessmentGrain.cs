using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>
/// The one shape an assessment is created from: what the event pipeline hands over when an event earns a trainee an
/// assessment, everything taken from the opportunity version that matched, so later edits of the opportunity do not
/// change it. The trainee grain keeps it (as JSON) until the assessment grain confirms the creation, and
/// <c>AssessmentLifecycle.Create</c> (Coaching.Grains) alone turns it into an <see cref="Assessment"/>, defaults included.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.new-assessment")]
public sealed record NewAssessment(
    [property: Id(0)] string OpportunityId,
    [property: Id(1)] int OpportunityVersion,
    [property: Id(2)] string TraineeId,
    [property: Id(3)] string? CoachGroupId,
    [property: Id(4)] AssessmentSource Source,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] TimeSpan Duration,
    [property: Id(7)] bool CloseOnExpiry,
    [property: Id(8)] CompletionMode Completion,
    [property: Id(9)] ImmutableDictionary<string, string?> Snapshot,
    [property: Id(10)] string? ScriptError,
    [property: Id(11)] ImmutableArray<RecommendedLearning> VirtualCoachItems,
    [property: Id(12)] ImmutableArray<RecommendedLearning> RecommendedLearnings,
    [property: Id(13)] string? TraineeSurveyId,
    [property: Id(14)] string? CoachSurveyId);

/// <summary>One coaching assessment, keyed by <see cref="AssessmentIds.For"/>.</summary>
[Alias("coaching.IAssessmentGrain")]
public interface IAssessmentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the assessment (coach chosen from the coach group, queues and reminder set up) and returns it.
    /// Idempotent: called again for an assessment that exists, it returns it unchanged, so the pipeline may
    /// call it again after an unknown outcome or a crash.
    /// </summary>
    [Alias("Create")] Task<Assessment> Create(NewAssessment assessment);

    /// <summary>The assessment, or null when it was never created.</summary>
    [Alias("Get")] Task<Assessment?> Get();

    /// <summary>A member of the coach group takes it for themselves (New, InProgress or Resolved).</summary>
    [Alias("Claim")] Task<AssessmentChange> Claim(AssessmentActor actor);

    /// <summary>A member of the coach group or an admin hands it to another active member.</summary>
    [Alias("Reassign")] Task<AssessmentChange> Reassign(AssessmentActor actor, string coachId);

    [Alias("Start")] Task<AssessmentChange> Start(AssessmentActor actor);

    [Alias("AddNote")] Task<AssessmentChange> AddNote(AssessmentActor actor, string text);

    [Alias("Resolve")] Task<AssessmentChange> Resolve(AssessmentActor actor, AssessmentResolution resolution);

    [Alias("Complete")] Task<AssessmentChange> Complete(AssessmentActor actor);

    [Alias("Reopen")] Task<AssessmentChange> Reopen(AssessmentActor actor);

    [Alias("Cancel")] Task<AssessmentChange> Cancel(AssessmentActor actor);

    [Alias("CompleteLearningTask")] Task<AssessmentChange> CompleteLearningTask(AssessmentActor actor, string taskId);

    /// <summary>
    /// The directory no longer lets <paramref name="coachId"/> act (deleted or inactive): if it is this open
    /// assessment's coach, the assessment goes back to its coach group's queue, unassigned. Idempotent.
    /// </summary>
    [Alias("Release")] Task<AssessmentChange> Release(string coachId);

    /// <summary>Puts an answered survey's rating on the assessment. Idempotent (the rating is set, not added).</summary>
    [Alias("ApplySurveyResponse")] Task ApplySurveyResponse(SurveyRequest answered);
}

/// <summary>What the coach writes when resolving.</summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-resolution")]
public sealed record AssessmentResolution(
    [property: Id(0)] string? Summary,
    [property: Id(1)] AssessmentRating? Rating,
    [property: Id(2)] string? FollowUp);

/// <summary>
/// The answer to a command: the assessment as it is afterwards (null when it does not exist) and the refusal,
/// if the command was refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-change")]
public sealed record AssessmentChange(
    [property: Id(0)] Assessment? Assessment,
    [property: Id(1)] Refusal? Refusal);

public static class AssessmentIds
{
    /// <summary>
    /// Deterministic from opportunity and event, so a replayed event can only ever address the same assessment.
    /// Senders' event ids may hold any characters; the id is a fixed-shape token safe in URLs.
    /// </summary>
    public static string For(string opportunityId, string senderEventKey)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{opportunityId}\n{senderEventKey}"));
        return "ASM" + Convert.ToHexStringLower(bytes.AsSpan(0, 10));
    }
}

using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>One line of a queue: what a list shows of an assessment, pushed by the assessment on every change.</summary>
/// <remarks>
/// <see cref="Revision"/> is the number of history entries the assessment had when the line was made. Every change
/// that alters a line adds a history entry, so of two lines of one assessment the one with the higher revision is the
/// newer: a queue keeps that one whatever order they arrive in. Lines stored before revisions existed read as 0.
/// </remarks>
[GenerateSerializer, Immutable, Alias("coaching.assessment-summary")]
public sealed record AssessmentSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string OpportunityId,
    [property: Id(2)] string TraineeId,
    [property: Id(3)] string? CoachId,
    [property: Id(4)] string? CoachGroupId,
    [property: Id(5)] AssessmentState State,
    [property: Id(6)] CloseReason? CloseReason,
    [property: Id(7)] CompletionMode Completion,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset DueAt,
    [property: Id(10)] bool Overdue,
    [property: Id(11)] int Revision = 0)
{
    public static AssessmentSummary Of(Assessment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.OpportunityId, a.TraineeId, a.CoachId, a.CoachGroupId, a.State, a.CloseReason, a.Completion, a.CreatedAt, a.DueAt, a.Overdue, a.History.Count);
    }
}

/// <summary>
/// Which lines of a queue to list. <see cref="States"/> empty: every state. <see cref="UnassignedOnly"/>: no coach yet.
/// <see cref="Viewer"/> set: only lines that viewer may see (AssessmentVisibility, the rule GET applies); null only
/// for the domain's own reads (e.g. a user's open work), never for a list shown to someone.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-filter")]
public sealed record AssessmentFilter(
    [property: Id(0)] ImmutableArray<AssessmentState> States,
    [property: Id(1)] bool UnassignedOnly = false,
    [property: Id(4)] AssessmentViewer? Viewer = null);

[GenerateSerializer, Immutable, Alias("coaching.assessment-page")]
public sealed record AssessmentPage(
    [property: Id(0)] ImmutableArray<AssessmentSummary> Items,
    [property: Id(1)] string? NextCursor);

/// <summary>
/// A list of assessments kept in memory (and persisted) for live queries: a coach's assessments, a coach
/// group's queue, a trainee's assessments. Keys come from <see cref="AssessmentQueues"/>.
/// </summary>
[Alias("coaching.IAssessmentQueueGrain")]
public interface IAssessmentQueueGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces the line of one assessment (idempotent).</summary>
    [Alias("Put")] Task Put(AssessmentSummary summary);

    /// <summary>
    /// Takes the assessment off this queue as of <paramref name="revision"/> (its history count after the change that
    /// moved it elsewhere): a line of a lower revision that arrives later does not bring it back (idempotent).
    /// </summary>
    [Alias("Remove")] Task Remove(string assessmentId, int revision);

    /// <summary>Newest first; <paramref name="cursor"/> is the previous page's <see cref="AssessmentPage.NextCursor"/> (a <see cref="Lists.ListCursor"/>).</summary>
    [Alias("List")] Task<AssessmentPage> List(AssessmentFilter filter, int limit, string? cursor);
}

public static class AssessmentQueues
{
    public static string OfCoach(string userId) => "coach:" + userId;

    public static string OfCoachGroup(string groupId) => "group:" + groupId;

    public static string OfTrainee(string userId) => "trainee:" + userId;

    /// <summary>The queues an assessment belongs in as it is now.</summary>
    public static ImmutableArray<string> For(Assessment a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var keys = ImmutableArray.CreateBuilder<string>();
        keys.Add(OfTrainee(a.TraineeId));
        if (a.CoachId is { } coach)
        {
            keys.Add(OfCoach(coach));
        }

        if (a.CoachGroupId is { } group)
        {
            keys.Add(OfCoachGroup(group));
        }

        return keys.ToImmutable();
    }
}

using System.Text.Json.Serialization;
using Coaching.Inbox;
using Coaching.Opportunities;
using Coaching.Outbox;

namespace Coaching.Assessments;

/// <summary>
/// The effects of one transition, stored in the same write as the transition itself, so that a crash between the
/// write and the effects cannot lose them: the next activation publishes what is still here. It holds the effects
/// themselves (a queue line, notification drafts, survey orders, stats reports), a few hundred bytes, never a copy
/// of the assessment: a long journal is stored once per row, not twice.
/// </summary>
[GenerateSerializer, Alias("coaching.assessment-outbox")]
public sealed class AssessmentOutbox
{
    /// <summary>
    /// Only in rows written before the effects were stored: the assessment as it was before the transition, from
    /// which the effects are worked out once (<see cref="AssessmentEffects.Of"/>). Never written again.
    /// </summary>
    [Id(0), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Assessment? Before { get; set; }

    /// <summary>The transition's events; of those, publishing still needs the survey orders.</summary>
    [Id(1)] public List<AssessmentEvent> Events { get; set; } = [];

    /// <summary>The line the assessment's lists show after the transition; null only in rows of the earlier shape.</summary>
    [Id(2)] public AssessmentSummary? Line { get; set; }

    /// <summary>The queues the line goes into.</summary>
    [Id(3)] public List<string> Queues { get; set; } = [];

    /// <summary>The queues the assessment left (e.g. the previous coach's), as of the line's revision.</summary>
    [Id(4)] public List<string> LeftQueues { get; set; } = [];

    [Id(5)] public List<PendingNotice> Notices { get; set; } = [];

    /// <summary>The state changes the transition made, for the opportunity's stats (each the standing as of its revision).</summary>
    [Id(6)] public List<TransitionReport> Reports { get; set; } = [];

    /// <summary>Whether this outbox was stored before the effects were (it has <see cref="Before"/> and events only).</summary>
    [JsonIgnore]
    public bool IsEarlierShape => Line is null;

    /// <summary>Where the line must still go (<see cref="Queues"/>) and what it must still leave (<see cref="LeftQueues"/>).</summary>
    [JsonIgnore]
    public Placement Placement => new(Queues, LeftQueues);
}

/// <summary>One state change to report to the opportunity's stats, with its history action for the metrics.</summary>
[GenerateSerializer, Immutable, Alias("coaching.transition-report")]
public sealed record TransitionReport(
    [property: Id(0)] string Action,
    [property: Id(1)] AssessmentTransition Transition);

/// <summary>What a transition must do once stored, worked out from the assessment before and after it.</summary>
public static class AssessmentEffects
{
    /// <param name="before">Null at creation.</param>
    /// <param name="displayName">Maps a user id to the name the notification texts use.</param>
    public static AssessmentOutbox Of(Assessment? before, Assessment after, IEnumerable<AssessmentEvent> events, Func<string, string> displayName)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(displayName);
        var all = events.ToList();
        var placement = OutboxRules.Move(before is null ? null : AssessmentQueues.For(before), AssessmentQueues.For(after));
        return new AssessmentOutbox
        {
            Events = [.. all.OfType<SurveysDue>()],
            Line = AssessmentSummary.Of(after),
            Queues = [.. placement.Into],
            LeftQueues = [.. placement.Off],
            Notices = OutboxRules.Notices(after.Id, after.History.Count, all.SelectMany(e => AssessmentNotices.For(after, e, displayName))),
            Reports = [.. Reports(before, after)],
        };
    }

    /// <summary>
    /// The effects still to publish once a new transition is stored while those of an earlier one are still pending
    /// (a downstream grain was unreachable): the new line replaces the old one in the queues it goes to and leaves
    /// every other queue either one named; notices, survey orders and stats reports of both go out, earlier first.
    /// </summary>
    public static AssessmentOutbox Then(AssessmentOutbox? pending, AssessmentOutbox next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (pending is null)
        {
            return next;
        }

        var placement = OutboxRules.Then(pending.Placement, next.Placement);
        return new AssessmentOutbox
        {
            Events = [.. pending.Events, .. next.Events],
            Line = next.Line,
            Queues = [.. placement.Into],
            LeftQueues = [.. placement.Off],
            Notices = OutboxRules.Then(pending.Notices, next.Notices, OutboxRules.KeyOf),
            Reports = [.. pending.Reports, .. next.Reports],
        };
    }

    /// <summary>Whether nothing is left to publish.</summary>
    public static bool IsDone(AssessmentOutbox outbox)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        return !outbox.IsEarlierShape && outbox.Placement.IsDone && outbox.Notices.Count == 0
            && outbox.Reports.Count == 0 && !outbox.Events.OfType<SurveysDue>().Any(s => s.Orders.Length > 0);
    }

    /// <summary>
    /// Every state change the transition added to the history, each as the assessment's standing at that step (state,
    /// expiries so far, time to resolve once resolved) with the step's position as its revision: the stats keep the
    /// highest revision per assessment, so a report sent twice counts once (<see cref="OpportunityCounting"/>).
    /// </summary>
    private static IEnumerable<TransitionReport> Reports(Assessment? before, Assessment after) =>
        from index in Enumerable.Range(before?.History.Count ?? 0, after.History.Count - (before?.History.Count ?? 0))
        let step = after.History[index]
        where step.From != step.To
        select new TransitionReport(step.Action, OpportunityCounting.Standing(after, index));
}

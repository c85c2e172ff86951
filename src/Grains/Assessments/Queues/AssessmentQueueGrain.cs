namespace Coaching.Assessments.Queues;

[GenerateSerializer, Alias("coaching.assessment-queue-state")]
public sealed class AssessmentQueueState
{
    [Id(0)] public Dictionary<string, AssessmentSummary> Lines { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A live list of assessments (a coach's, a coach group's, a trainee's). Each assessment pushes its line after
/// every change, so the list answers from memory without asking every assessment.
/// </summary>
public sealed class AssessmentQueueGrain(
    [PersistentState("assessment-queue", StorageNames.Coaching)] IPersistentState<AssessmentQueueState> queue)
    : Grain, IAssessmentQueueGrain
{
    public const int MaxPage = 200;

    public async Task Put(AssessmentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (queue.State.Lines.TryGetValue(summary.Id, out var known) && known == summary)
        {
            return;
        }

        queue.State.Lines[summary.Id] = summary;
        await queue.WriteStateAsync();
    }

    public async Task Remove(string assessmentId)
    {
        if (queue.State.Lines.Remove(assessmentId))
        {
            await queue.WriteStateAsync();
        }
    }

    public Task<AssessmentPage> List(AssessmentFilter filter, int limit, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(filter);
        limit = Math.Clamp(limit, 1, MaxPage);
        var hasCursor = AssessmentQueues.TryReadCursor(cursor, out var afterTicks, out var afterId);
        var states = filter.States.IsDefaultOrEmpty ? null : filter.States.ToHashSet();
        var groups = filter.CoachGroups.IsDefault ? [] : filter.CoachGroups;
        var lines = queue.State.Lines.Values
            .Where(l => states is null || states.Contains(l.State))
            .Where(l => !filter.UnassignedOnly || l.CoachId is null)
            .Where(l => filter.VisibleToCoach is null
                || l.CoachId == filter.VisibleToCoach
                || (l.CoachGroupId is not null && groups.Contains(l.CoachGroupId)))
            .Where(l => !hasCursor
                || l.CreatedAt.UtcTicks < afterTicks
                || (l.CreatedAt.UtcTicks == afterTicks && string.CompareOrdinal(l.Id, afterId) < 0))
            .OrderByDescending(l => l.CreatedAt.UtcTicks)
            .ThenByDescending(l => l.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var next = lines.Count > limit ? AssessmentQueues.CursorAfter(lines[limit - 1]) : null;
        return Task.FromResult(new AssessmentPage([.. lines.Take(limit)], next));
    }
}

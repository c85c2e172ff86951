using Coaching.Lists;

namespace Coaching.Assessments.Queues;

/// <summary>
/// A live list of assessments (a coach's, a coach group's, a trainee's). Each assessment pushes its line after
/// every change, so the list answers from memory without asking every assessment. The lines are stored one by one in
/// <see cref="IAssessmentLines"/>: a change writes its own line only, whatever the size of the queue.
/// </summary>
/// <remarks>
/// The lines are read on the first call of an activation, inside that call: a failed read fails the call, and the
/// ReloadAfterFailure filter drops the activation, so the next call reads again. A failed write fails the call the same
/// way (the assessment keeps its outbox and pushes again), and the next activation reads what was stored.
/// </remarks>
public sealed class AssessmentQueueGrain(IAssessmentLines store) : Grain, IAssessmentQueueGrain
{
    public const int MaxPage = 200;

    private readonly Dictionary<string, AssessmentSummary> lines = new(StringComparer.Ordinal);
    private bool loaded;

    private string Key => this.GetPrimaryKeyString();

    public async Task Put(AssessmentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        await Load();
        if (lines.TryGetValue(summary.Id, out var known) && (known == summary || known.Revision > summary.Revision))
        {
            // Unchanged, or older than what this queue shows: nothing to write.
            return;
        }

        Keep(summary.Id, await store.Put(Key, summary));
    }

    public async Task Remove(string assessmentId, int revision)
    {
        ArgumentNullException.ThrowIfNull(assessmentId);
        await Load();
        if (lines.TryGetValue(assessmentId, out var known) && known.Revision > revision)
        {
            // The assessment came back to this queue after the change this removal is for.
            return;
        }

        // Written even when this activation shows no line: a line on its way from an earlier activation must not be
        // able to bring the assessment back after this.
        Keep(assessmentId, await store.Remove(Key, assessmentId, revision));
    }

    public async Task<AssessmentPage> List(AssessmentFilter filter, int limit, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await Load();
        limit = Math.Clamp(limit, 1, MaxPage);
        var hasCursor = ListCursor.TryRead(cursor, out var after);
        var states = filter.States.IsDefaultOrEmpty ? null : filter.States.ToHashSet();
        var page = lines.Values
            .Where(l => states is null || states.Contains(l.State))
            .Where(l => !filter.UnassignedOnly || l.CoachId is null)
            .Where(l => filter.Viewer is null || AssessmentVisibility.CanSee(filter.Viewer, l))
            .Where(l => !hasCursor || after.Precedes(l.CreatedAt, l.Id))
            .OrderByDescending(l => l.CreatedAt.UtcTicks)
            .ThenByDescending(l => l.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var next = page.Count > limit ? ListCursor.After(page[limit - 1].CreatedAt, page[limit - 1].Id).ToString() : null;
        return new AssessmentPage([.. page.Take(limit)], next);
    }

    private async Task Load()
    {
        if (loaded)
        {
            return;
        }

        foreach (var line in await store.Load(Key))
        {
            lines[line.Id] = line;
        }

        loaded = true;
    }

    /// <summary>Shows what the store holds for the assessment after a write: a line, or nothing.</summary>
    private void Keep(string assessmentId, AssessmentSummary? stored)
    {
        if (stored is null)
        {
            lines.Remove(assessmentId);
        }
        else
        {
            lines[assessmentId] = stored;
        }
    }
}

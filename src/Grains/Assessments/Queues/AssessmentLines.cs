using System.Collections.Concurrent;

namespace Coaching.Assessments.Queues;

/// <summary>
/// The stored lines of the assessment queues (key: <see cref="AssessmentQueues"/>), one entry per queue and assessment,
/// so that a change writes one line whatever the size of its queue. A queue grain reads its queue once per activation
/// and then writes only the line that changed.
/// </summary>
/// <remarks>
/// Each entry carries the <see cref="AssessmentSummary.Revision"/> it was written at, and a write of a lower revision
/// than the stored one is ignored: a late or duplicate activation cannot put an older line over a newer one. Taking an
/// assessment off a queue stores a removal with its revision rather than forgetting the entry, for the same reason:
/// a line of an older revision still on its way cannot bring the assessment back.
/// </remarks>
public interface IAssessmentLines
{
    /// <summary>Every line of the queue (assessments taken off it are not among them).</summary>
    Task<IReadOnlyList<AssessmentSummary>> Load(string queueKey);

    /// <summary>
    /// Stores <paramref name="line"/> unless the queue holds a newer entry of that assessment. Returns what the queue
    /// holds for it afterwards: this line, a newer one, or null when the assessment was taken off at a newer revision.
    /// Durable when the task completes.
    /// </summary>
    Task<AssessmentSummary?> Put(string queueKey, AssessmentSummary line);

    /// <summary>
    /// Takes the assessment off the queue as of <paramref name="revision"/>, unless the queue holds a newer line of it.
    /// Returns what the queue holds for it afterwards: null, or that newer line. Durable when the task completes.
    /// </summary>
    Task<AssessmentSummary?> Remove(string queueKey, string assessmentId, int revision);
}

/// <summary>In-memory lines, for the single in-memory silo (embedded mode, tests): gone with the process.</summary>
public sealed class InMemoryAssessmentLines : IAssessmentLines
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Entry>> queues = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<AssessmentSummary>> Load(string queueKey)
    {
        IReadOnlyList<AssessmentSummary> lines = queues.TryGetValue(queueKey, out var queue)
            ? [.. queue.Values.Select(e => e.Line).OfType<AssessmentSummary>()]
            : [];
        return Task.FromResult(lines);
    }

    public Task<AssessmentSummary?> Put(string queueKey, AssessmentSummary line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Task.FromResult(Write(queueKey, line.Id, new Entry(line.Revision, line)));
    }

    public Task<AssessmentSummary?> Remove(string queueKey, string assessmentId, int revision) =>
        Task.FromResult(Write(queueKey, assessmentId, new Entry(revision, null)));

    private AssessmentSummary? Write(string queueKey, string assessmentId, Entry entry)
    {
        var queue = queues.GetOrAdd(queueKey, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        return queue.AddOrUpdate(assessmentId, entry, (_, stored) => stored.Revision <= entry.Revision ? entry : stored).Line;
    }

    /// <summary>A stored line, or a removal (no line) at its revision.</summary>
    private sealed record Entry(int Revision, AssessmentSummary? Line);
}

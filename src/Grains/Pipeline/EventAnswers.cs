using System.Collections.Concurrent;

namespace Coaching.Pipeline;

/// <summary>
/// The first answer to each event (key: <see cref="EventKeys.For"/>), shared by every silo: what a replay gets back.
/// A silo service rather than a grain per event, so that answering an event costs one statement in a shared batch
/// (PostgreSQL) instead of an activation, a read and a write.
/// </summary>
public interface IEventAnswers
{
    /// <summary>The stored answer, or null when the event was never answered.</summary>
    Task<EventAnswer?> Find(string eventKey);

    /// <summary>
    /// Stores <paramref name="answer"/> unless an answer is stored already; returns the stored one and whether it is
    /// the one given. Durable when the task completes.
    /// </summary>
    Task<RecordedAnswer> Record(string eventKey, EventAnswer answer);

    /// <summary>
    /// <see cref="Record"/> for many events at once (a batch request), in input order. A key given twice is stored
    /// once: the later one gets the earlier one's answer, not first.
    /// </summary>
    Task<RecordedAnswer[]> RecordAll(IReadOnlyList<(string EventKey, EventAnswer Answer)> answers);
}

/// <summary>In-memory answers, for the single in-memory silo (embedded mode, tests): gone with the process.</summary>
public sealed class InMemoryEventAnswers : IEventAnswers
{
    private readonly ConcurrentDictionary<string, EventAnswer> answers = new(StringComparer.Ordinal);

    public Task<EventAnswer?> Find(string eventKey) =>
        Task.FromResult(answers.TryGetValue(eventKey, out var answer) ? answer : null);

    public Task<RecordedAnswer> Record(string eventKey, EventAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var stored = answers.GetOrAdd(eventKey, answer);
        return Task.FromResult(new RecordedAnswer(stored, ReferenceEquals(stored, answer)));
    }

    public async Task<RecordedAnswer[]> RecordAll(IReadOnlyList<(string EventKey, EventAnswer Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var recorded = new RecordedAnswer[answers.Count];
        for (var i = 0; i < answers.Count; i++)
        {
            recorded[i] = await Record(answers[i].EventKey, answers[i].Answer);
        }

        return recorded;
    }
}

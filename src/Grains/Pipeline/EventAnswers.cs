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
    /// Stores each answer unless one is stored already for its key; returns, in input order, the stored one and whether
    /// it is the one given. A key given twice is stored once: the later one gets the earlier one's answer, not first.
    /// Durable when the task completes.
    /// </summary>
    Task<RecordedAnswer[]> RecordAll(IReadOnlyList<(string EventKey, EventAnswer Answer)> answers);
}

public static class EventAnswersExtensions
{
    /// <summary><see cref="IEventAnswers.RecordAll"/> for one event.</summary>
    public static async Task<RecordedAnswer> Record(this IEventAnswers answers, string eventKey, EventAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(answer);
        return (await answers.RecordAll([(eventKey, answer)]))[0];
    }
}

/// <summary>In-memory answers, for the single in-memory silo (embedded mode, tests): gone with the process.</summary>
public sealed class InMemoryEventAnswers : IEventAnswers
{
    private readonly ConcurrentDictionary<string, EventAnswer> answers = new(StringComparer.Ordinal);

    public Task<EventAnswer?> Find(string eventKey) =>
        Task.FromResult(answers.TryGetValue(eventKey, out var answer) ? answer : null);

    public Task<RecordedAnswer[]> RecordAll(IReadOnlyList<(string EventKey, EventAnswer Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var recorded = new RecordedAnswer[answers.Count];
        for (var i = 0; i < answers.Count; i++)
        {
            var (key, answer) = answers[i];
            var stored = this.answers.GetOrAdd(key, answer);
            recorded[i] = new RecordedAnswer(stored, ReferenceEquals(stored, answer));
        }

        return Task.FromResult(recorded);
    }
}

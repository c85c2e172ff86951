using System.Collections.Concurrent;
using System.Collections.Immutable;
using Coaching.Opportunities;

namespace Coaching.Pipeline;

/// <summary>An event's answer to store, with what it adds to the opportunities' stats if it is the first.</summary>
public sealed record AnswerToStore(string EventKey, EventAnswer Answer, ImmutableArray<OutcomeCount> Counts);

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
    /// The counts of each answer stored (first) are added to the opportunities' stats in the same transaction, those of
    /// any other not at all: the stats count each first answer exactly once (<see cref="OpportunityCounting"/>).
    /// Durable when the task completes.
    /// </summary>
    Task<RecordedAnswer[]> RecordAll(IReadOnlyList<AnswerToStore> answers);
}

public static class EventAnswersExtensions
{
    /// <summary><see cref="IEventAnswers.RecordAll"/> for one event.</summary>
    public static async Task<RecordedAnswer> Record(this IEventAnswers answers, string eventKey, EventAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(answer);
        return (await answers.RecordAll([new AnswerToStore(eventKey, answer, OpportunityCounting.Of(answer, []))]))[0];
    }

    /// <summary><see cref="IEventAnswers.RecordAll"/> of answers whose created outcomes had no script error.</summary>
    public static Task<RecordedAnswer[]> RecordAll(this IEventAnswers answers, IReadOnlyList<(string EventKey, EventAnswer Answer)> toStore)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(toStore);
        return answers.RecordAll([.. toStore.Select(a => new AnswerToStore(a.EventKey, a.Answer, OpportunityCounting.Of(a.Answer, [])))]);
    }
}

/// <summary>
/// In-memory answers, for the single in-memory silo (embedded mode, tests): gone with the process. A first answer's
/// counts go to <paramref name="counts"/> as it is stored.
/// </summary>
public sealed class InMemoryEventAnswers(InMemoryOpportunityCounts counts) : IEventAnswers
{
    private readonly ConcurrentDictionary<string, EventAnswer> answers = new(StringComparer.Ordinal);

    public Task<EventAnswer?> Find(string eventKey) =>
        Task.FromResult(answers.TryGetValue(eventKey, out var answer) ? answer : null);

    public Task<RecordedAnswer[]> RecordAll(IReadOnlyList<AnswerToStore> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var recorded = new RecordedAnswer[answers.Count];
        for (var i = 0; i < answers.Count; i++)
        {
            var (key, answer, outcomeCounts) = answers[i];
            var stored = this.answers.GetOrAdd(key, answer);
            var first = ReferenceEquals(stored, answer);
            if (first)
            {
                counts.Add(outcomeCounts);
            }

            recorded[i] = new RecordedAnswer(stored, first);
        }

        return Task.FromResult(recorded);
    }
}

namespace Coaching.Pipeline;

[GenerateSerializer, Alias("coaching.event-record-state")]
public sealed class EventRecordState
{
    [Id(0)] public EventAnswer? Answer { get; set; }
}

/// <summary>
/// The durable first answer to one event (key: sender + event id). Written once; every replay reads it.
/// Short-lived in memory: events are rarely replayed long after they were sent.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class EventRecordGrain(
    [PersistentState("event-record", StorageNames.Coaching)] IPersistentState<EventRecordState> state)
    : Grain, IEventRecordGrain
{
    public Task<EventAnswer?> Find() => Task.FromResult(state.State.Answer);

    public async Task<RecordedAnswer> Record(EventAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (state.State.Answer is { } first)
        {
            return new RecordedAnswer(first, First: false);
        }

        state.State.Answer = answer;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Answer = null;
            throw;
        }

        return new RecordedAnswer(answer, First: true);
    }
}

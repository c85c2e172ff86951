
namespace Coaching.Durable.Tests.Grains;

[GenerateSerializer, Alias("Coaching.Durable.Tests.JournalEntry")]
public sealed record JournalEntry([property: Id(0)] string Text, [property: Id(1)] DateTimeOffset WrittenAt);

[GenerateSerializer, Alias("Coaching.Durable.Tests.JournalState")]
public sealed class JournalState
{
    [Id(0)] public List<JournalEntry> Entries { get; set; } = [];

    [Id(1)] public Dictionary<string, int> Tally { get; set; } = [];
}

[Alias("Coaching.Durable.Tests.IJournalGrain")]
public interface IJournalGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write(string text, DateTimeOffset writtenAt);

    [Alias("Read")]
    Task<JournalState> Read();

    [Alias("Etag")]
    Task<string?> Etag();
}

/// <summary>A grain whose only job is to keep what it was told, in the "coaching" store.</summary>
public sealed class JournalGrain(
    [PersistentState("journal", StorageNames.Coaching)] IPersistentState<JournalState> journal) : Grain, IJournalGrain
{
    public async Task Write(string text, DateTimeOffset writtenAt)
    {
        journal.State.Entries.Add(new JournalEntry(text, writtenAt));
        journal.State.Tally[text] = journal.State.Tally.GetValueOrDefault(text) + 1;
        await journal.WriteStateAsync();
    }

    public Task<JournalState> Read() => Task.FromResult(journal.State);

    public Task<string?> Etag() => Task.FromResult<string?>(journal.Etag);
}

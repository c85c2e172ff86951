using System.Collections.Immutable;

namespace Coaching.Sessions;

[GenerateSerializer, Alias("Coaching.Sessions.SessionIndexState")]
public sealed class SessionIndexState
{
    /// <summary>Session ids, oldest first, without duplicates.</summary>
    [Id(0)] public List<string> SessionIds { get; set; } = [];
}

/// <summary>One view's session ids (see <see cref="ISessionIndexGrain"/>). Add and Remove are idempotent.</summary>
public sealed class SessionIndexGrain(
    [PersistentState("session-index", StorageNames.Coaching)] IPersistentState<SessionIndexState> index)
    : Grain, ISessionIndexGrain
{
    public async Task Add(string sessionId)
    {
        if (!index.State.SessionIds.Contains(sessionId, StringComparer.Ordinal))
        {
            index.State.SessionIds.Add(sessionId);
            await index.WriteStateAsync();
        }
    }

    public async Task Remove(string sessionId)
    {
        if (index.State.SessionIds.Remove(sessionId))
        {
            await index.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> List() => Task.FromResult(index.State.SessionIds.ToImmutableArray());
}

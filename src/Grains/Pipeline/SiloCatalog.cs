using Coaching.Opportunities;

namespace Coaching.Pipeline;

/// <summary>
/// This silo's copy of the opportunity catalog, shared by every intake worker on the silo. Two ways in: the catalog
/// pushes each new version here before a write answers (<see cref="ISiloCatalogGrain"/>), and the intake workers
/// poll in the background (<see cref="Refresh"/>) to repair a push this silo missed.
/// </summary>
/// <remarks>
/// Catalog versions only move forward: a push and a poll may arrive in either order, and the older one must not
/// undo the newer one (<see cref="OpportunityCatalogView.IsOlderThan"/>). Reading <see cref="View"/> is one volatile
/// read, so the per-event path stays free of locks and grain calls.
/// </remarks>
public sealed class SiloCatalog
{
    private readonly Lock gate = new();
    private OpportunityCatalogView view = OpportunityCatalogView.Empty;
    private Task? refreshing;

    /// <summary>The newest catalog this silo has seen.</summary>
    public OpportunityCatalogView View => Volatile.Read(ref view);

    /// <summary>Whether any catalog was loaded yet (an intake worker waits for one before its first event).</summary>
    public bool Loaded => View.Version >= 0;

    /// <summary>Takes <paramref name="snapshot"/> when it is newer than the copy; true when it did.</summary>
    public bool Offer(OpportunityCatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (gate)
        {
            if (!view.IsOlderThan(snapshot))
            {
                return false;
            }

            Volatile.Write(ref view, view.Next(snapshot));
            return true;
        }
    }

    /// <summary>
    /// Asks <paramref name="fetch"/> for anything newer than the copy and offers it. Callers that come while a
    /// refresh is under way share it, so a silo polls once however many intake workers it runs.
    /// </summary>
    public Task Refresh(Func<long, Task<OpportunityCatalogSnapshot?>> fetch)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        lock (gate)
        {
            if (refreshing is { IsCompleted: false } running)
            {
                return running;
            }

            refreshing = Fetch(fetch, view.Version);
            return refreshing;
        }
    }

    private async Task Fetch(Func<long, Task<OpportunityCatalogSnapshot?>> fetch, long known)
    {
        if (await fetch(known) is { } snapshot)
        {
            Offer(snapshot);
        }
    }
}

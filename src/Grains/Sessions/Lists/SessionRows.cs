using System.Collections.Concurrent;
using Coaching.Lists;

namespace Coaching.Sessions.Lists;

/// <summary>
/// The stored rows of the session lists (keys: <see cref="SessionLists"/>). A list is an ordered set of entries, one per
/// session on it; the row an entry shows is stored once per session, so a session on 200 coaches' lists is one row and
/// 200 small entries. A list grain reads its list one page at a time and keeps none of it: what a list holds lives here.
/// </summary>
/// <remarks>
/// Entries carry the <see cref="SessionRow.Revision"/> they were written at and a write of a lower revision is ignored,
/// so a late or duplicate write cannot bring back an older row, nor a removed entry (a removal is kept as an entry that
/// is not listed, for that reason). A session's row is replaced only by a newer one.
/// </remarks>
public interface ISessionRows
{
    /// <summary>Puts the session on the list with <paramref name="row"/>, unless the list holds a newer entry of it. Durable when done.</summary>
    Task Put(string listKey, SessionRow row);

    /// <summary>Takes the session off the list as of <paramref name="revision"/>, unless the list holds a newer entry. Durable when done.</summary>
    Task Remove(string listKey, string sessionId, int revision);

    /// <summary>
    /// At most <paramref name="count"/> rows of sessions on the list, newest first, after <paramref name="after"/> (from
    /// the newest when null), and whether more follow them.
    /// </summary>
    Task<SessionRowChunk> Page(string listKey, ListCursor? after, int count);

    /// <summary>Deletes the list's entries of sessions closed before <paramref name="closedBefore"/>; answers how many.</summary>
    Task<int> Forget(string listKey, DateTimeOffset closedBefore);
}

/// <summary>Rows read from a list, and whether the list goes on after the last of them.</summary>
public sealed record SessionRowChunk(IReadOnlyList<SessionRow> Rows, bool More);

/// <summary>
/// In-memory rows, for the single in-memory silo (embedded mode, tests): kept by the silo, not by the list grains, so a
/// list reads the same before and after its grain is deactivated; gone with the process. Per entry it keeps an id
/// reference, the creation ticks, a revision and a flag: about 60 bytes, the row itself once per session.
/// </summary>
public sealed class InMemorySessionRows : ISessionRows
{
    private readonly ConcurrentDictionary<string, SessionRow> rows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ListEntries> lists = new(StringComparer.Ordinal);

    public Task Put(string listKey, SessionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var stored = rows.AddOrUpdate(row.Id, row, (_, known) => known.Revision < row.Revision ? row : known);
        // The stored row's id: one string per session, however many lists it is on.
        List(listKey).Write(stored.Id, row.CreatedAt.UtcTicks, row.Revision, listed: true);
        return Task.CompletedTask;
    }

    public Task Remove(string listKey, string sessionId, int revision)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        List(listKey).Write(rows.TryGetValue(sessionId, out var known) ? known.Id : sessionId, 0, revision, listed: false);
        return Task.CompletedTask;
    }

    public Task<SessionRowChunk> Page(string listKey, ListCursor? after, int count)
    {
        if (!lists.TryGetValue(listKey, out var list))
        {
            return Task.FromResult(new SessionRowChunk([], false));
        }

        var (ids, more) = list.Page(after, count);
        return Task.FromResult(new SessionRowChunk([.. ids.Select(id => rows[id])], more));
    }

    public Task<int> Forget(string listKey, DateTimeOffset closedBefore) =>
        Task.FromResult(lists.TryGetValue(listKey, out var list)
            ? list.Forget(id => rows.TryGetValue(id, out var row) && row.ClosedAt is { } closed && closed < closedBefore)
            : 0);

    private ListEntries List(string listKey) => lists.GetOrAdd(listKey, _ => new ListEntries());

    /// <summary>One list: its entries by session id, and the listed ones in order (oldest first).</summary>
    private sealed class ListEntries
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
        private readonly List<Key> listed = [];

        public void Write(string sessionId, long createdTicks, int revision, bool listed)
        {
            lock (gate)
            {
                var known = entries.TryGetValue(sessionId, out var entry);
                if (known && entry.Revision > revision)
                {
                    return;
                }

                if (known && entry.Listed)
                {
                    Unlist(new Key(entry.CreatedTicks, sessionId));
                }

                if (listed)
                {
                    var key = new Key(createdTicks, sessionId);
                    var at = this.listed.BinarySearch(key);
                    this.listed.Insert(at < 0 ? ~at : at, key);
                }

                entries[sessionId] = new Entry(listed ? createdTicks : entry.CreatedTicks, revision, listed);
            }
        }

        public (List<string> Ids, bool More) Page(ListCursor? after, int count)
        {
            lock (gate)
            {
                // Newest first: walk down from just below the cursor.
                var start = listed.Count - 1;
                if (after is { } cursor)
                {
                    var at = listed.BinarySearch(new Key(cursor.CreatedTicks, cursor.Id));
                    start = (at < 0 ? ~at : at) - 1;
                }

                var ids = new List<string>(Math.Min(count, start + 1));
                for (var i = start; i >= 0 && ids.Count < count; i--)
                {
                    ids.Add(listed[i].Id);
                }

                return (ids, start - ids.Count >= 0);
            }
        }

        public int Forget(Func<string, bool> aged)
        {
            lock (gate)
            {
                var gone = entries.Where(e => aged(e.Key)).Select(e => e.Key).ToList();
                foreach (var id in gone)
                {
                    if (entries[id].Listed)
                    {
                        Unlist(new Key(entries[id].CreatedTicks, id));
                    }

                    entries.Remove(id);
                }

                return gone.Count;
            }
        }

        private void Unlist(Key key)
        {
            var at = listed.BinarySearch(key);
            if (at >= 0)
            {
                listed.RemoveAt(at);
            }
        }
    }

    private readonly record struct Entry(long CreatedTicks, int Revision, bool Listed);

    private readonly record struct Key(long CreatedTicks, string Id) : IComparable<Key>
    {
        public int CompareTo(Key other) =>
            CreatedTicks != other.CreatedTicks ? CreatedTicks.CompareTo(other.CreatedTicks) : string.CompareOrdinal(Id, other.Id);
    }
}

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
/// list reads the same before and after its grain is deactivated; gone with the process. A list is one sorted array of
/// 24-byte entries (creation ticks, a reference to the session's id, revision, listed); the row itself is kept once
/// per session.
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
        List(listKey).Write(new Entry(row.CreatedAt.UtcTicks, stored.Id, row.Revision, Listed: true));
        return Task.CompletedTask;
    }

    public Task Remove(string listKey, string sessionId, int revision)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        // A session is taken off a list only after it was put on it, so its row is known; the row gives the entry's place.
        if (rows.TryGetValue(sessionId, out var known))
        {
            List(listKey).Write(new Entry(known.CreatedAt.UtcTicks, known.Id, revision, Listed: false));
        }

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

    /// <summary>One list's entries, oldest first; a removal stays as an entry that is not listed.</summary>
    private sealed class ListEntries
    {
        private readonly Lock gate = new();
        private readonly List<Entry> entries = [];

        public void Write(Entry entry)
        {
            lock (gate)
            {
                var at = entries.BinarySearch(entry, Entry.Order);
                if (at < 0)
                {
                    entries.Insert(~at, entry);
                }
                else if (entries[at].Revision <= entry.Revision)
                {
                    entries[at] = entry;
                }
            }
        }

        public (List<string> Ids, bool More) Page(ListCursor? after, int count)
        {
            lock (gate)
            {
                // Newest first: walk down from just below the cursor, over listed entries only.
                var i = entries.Count - 1;
                if (after is { } cursor)
                {
                    var at = entries.BinarySearch(new Entry(cursor.CreatedTicks, cursor.Id, 0, false), Entry.Order);
                    i = (at < 0 ? ~at : at) - 1;
                }

                var ids = new List<string>(Math.Min(count, i + 1));
                for (; i >= 0 && ids.Count < count; i--)
                {
                    if (entries[i].Listed)
                    {
                        ids.Add(entries[i].Id);
                    }
                }

                for (; i >= 0; i--)
                {
                    if (entries[i].Listed)
                    {
                        return (ids, true);
                    }
                }

                return (ids, false);
            }
        }

        public int Forget(Func<string, bool> aged)
        {
            lock (gate)
            {
                return entries.RemoveAll(e => aged(e.Id));
            }
        }
    }

    private readonly record struct Entry(long CreatedTicks, string Id, int Revision, bool Listed)
    {
        public static readonly IComparer<Entry> Order = Comparer<Entry>.Create(static (a, b) =>
            a.CreatedTicks != b.CreatedTicks ? a.CreatedTicks.CompareTo(b.CreatedTicks) : string.CompareOrdinal(a.Id, b.Id));
    }
}

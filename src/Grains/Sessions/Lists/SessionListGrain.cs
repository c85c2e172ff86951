using Coaching.Lists;
using Coaching.Telemetry;

namespace Coaching.Sessions.Lists;

/// <summary>
/// One session list (a supervisor's, a coach's, an agent's, a case's). Each session pushes its row here after every
/// change; a page is read from <see cref="ISessionRows"/> one chunk at a time and filtered by
/// <see cref="SessionVisibility.CanRead(SessionRow, SessionViewer)"/> and <see cref="SessionListRetention"/>, so a list
/// answers without asking its sessions, and keeps no rows in memory however long it is.
/// </summary>
/// <remarks>
/// When the viewer may read every row, a page of n reads n rows. When it may not, the next chunks grow (up to
/// <see cref="LargestChunk"/>) so a list of mostly hidden rows costs few reads. On activation the list deletes the
/// entries of sessions that have aged out.
/// </remarks>
public sealed class SessionListGrain(ISessionRows store, SessionListRetention retention, TimeProvider clock) : Grain, ISessionListGrain
{
    public const int MaxPage = 200;

    /// <summary>Most rows read at once while looking for rows the viewer may read.</summary>
    public const int LargestChunk = 1_000;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        await store.Forget(Key, retention.ClosedBefore(clock.GetUtcNow()));

    public Task Put(SessionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return store.Put(Key, row);
    }

    public Task Remove(string sessionId, int revision)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return store.Remove(Key, sessionId, revision);
    }

    public async Task<SessionRowPage> List(SessionViewer viewer, int limit, string? cursor)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        limit = Math.Clamp(limit, 1, MaxPage);
        ListCursor? after = ListCursor.TryRead(cursor, out var c) ? c : null;
        var now = clock.GetUtcNow();
        var page = new List<SessionRow>(limit);
        var read = 0;
        var chunk = limit;
        var more = true;
        while (page.Count < limit && more)
        {
            var rows = await store.Page(Key, after, chunk);
            read += rows.Rows.Count;
            more = rows.More;
            for (var i = 0; i < rows.Rows.Count; i++)
            {
                var row = rows.Rows[i];
                after = ListCursor.After(row.CreatedAt, row.Id);
                if (SessionVisibility.CanRead(row, viewer) && retention.Keeps(row, now))
                {
                    page.Add(row);
                    if (page.Count == limit)
                    {
                        // Rows left in this chunk, or after it: the page has a next one.
                        more = more || i < rows.Rows.Count - 1;
                        break;
                    }
                }
            }

            chunk = Math.Min(chunk * 2, LargestChunk);
        }

        CoachingMetrics.SessionListRowsRead.Record(read, new KeyValuePair<string, object?>("list", Kind));
        var next = more && page.Count == limit ? ListCursor.After(page[^1].CreatedAt, page[^1].Id).ToString() : null;
        return new SessionRowPage([.. page], next, read);
    }

    /// <summary>The list's kind (supervisor, coach, agent, case): a low-cardinality tag, never the id.</summary>
    private string Kind => Key[..Math.Max(0, Key.IndexOf(':', StringComparison.Ordinal))];
}

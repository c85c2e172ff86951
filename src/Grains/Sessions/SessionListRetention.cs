namespace Coaching.Sessions;

/// <summary>
/// How long a closed session (Completed, or Canceled, expiry included) stays on the session lists after it closed.
/// Past that it ages out of every list (the rows are deleted from the store); the session itself is kept and
/// <c>GET /v1/sessions/{id}</c> still answers. Open sessions (Suggested, Scheduled) never age out: they expire or
/// are acted on. SPEC F asks that no list grows without a bound; this bounds the closed part, which is the part
/// that only grows. Bound from <c>Coaching:SessionLists</c> and checked at start
/// (<see cref="GrainSettings"/>).
/// </summary>
public sealed record SessionListRetention
{
    public const string Section = "Coaching:SessionLists";

    public static SessionListRetention Default { get; } = new();

    /// <summary>A closed session leaves the lists this long after it closed.</summary>
    public ConfiguredDuration KeepClosedFor { get; init; } = ConfiguredDuration.FromDays(90);

    /// <summary>Whether a list still shows <paramref name="row"/> at <paramref name="now"/>.</summary>
    public bool Keeps(SessionRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.ClosedAt is not { } closed || closed > ClosedBefore(now);
    }

    /// <summary>Rows of sessions closed before this instant have aged out.</summary>
    public DateTimeOffset ClosedBefore(DateTimeOffset now) => now - KeepClosedFor;
}

namespace Coaching.Inbox;

/// <summary>
/// How many notifications an inbox keeps, and for how long: older ones are deleted from the store, so nothing a
/// sender does grows a user's inbox (or the silo's memory, or the database) without a bound. Bound from
/// <c>Coaching:Notifications</c> and checked at start (<see cref="GrainSettings"/>).
/// </summary>
public sealed record NotificationRetention
{
    public const string Section = "Coaching:Notifications";

    public static NotificationRetention Default { get; } = new();

    /// <summary>The newest notifications of a user that are kept (and shown); older ones are deleted.</summary>
    public int KeepPerUser { get; init; } = 500;

    /// <summary>Notifications older than this are deleted, however few a user has.</summary>
    public ConfiguredDuration KeepFor { get; init; } = ConfiguredDuration.FromDays(90);

    /// <summary>
    /// How many notifications past <see cref="KeepPerUser"/> an inbox lets the store hold before it deletes them:
    /// deleting in small batches keeps a delivery at one statement most of the time.
    /// </summary>
    public int TrimEvery => Math.Max(1, KeepPerUser / 20);
}

using Coaching.Inbox;
using Coaching.Notifications;

namespace Coaching.Outbox;

/// <summary>
/// Where a grain's row (an assessment's queue line, a session's list row) must be after a transition: put, at the
/// transition's revision, into the lists of <see cref="Into"/>, and taken off those of <see cref="Off"/>.
/// </summary>
public sealed record Placement(IReadOnlyList<string> Into, IReadOnlyList<string> Off)
{
    public static readonly Placement None = new([], []);

    /// <summary>Whether every list already shows what it must.</summary>
    public bool IsDone => Into.Count == 0 && Off.Count == 0;
}

/// <summary>
/// The rules of the one outbox every grain with side effects keeps (assessments, sessions): the effects of a
/// transition are stored in the same write as the transition, published right after it, and what a downstream grain
/// refused stays pending (see <see cref="OutboxPublisher"/> for the grain side). Pure: no Orleans in it.
/// <list type="bullet">
/// <item>Every effect carries a delivery key made of the grain's id, the transition's version and the effect's kind
/// (<see cref="DeliveryKey"/>), so publishing it again (a retry, a crash after it went out but before the outbox was
/// saved) is recognised downstream: inboxes keep one notification per key, lists keep the highest revision.</item>
/// <item>A new transition's effects are merged with those still pending (<see cref="Then(Placement?, Placement)"/>,
/// <see cref="Then{T}"/>): the newest row wins, one-shot effects all go out, earlier first, each key once.</item>
/// <item>After a publish, only what was refused is left (<see cref="Left(Placement, IEnumerable{string})"/>,
/// <see cref="Left{T}"/>); the outbox is done when nothing is.</item>
/// </list>
/// </summary>
public static class OutboxRules
{
    /// <summary>The key of one effect: the same grain, transition and kind give the same key, whoever publishes it.</summary>
    public static string DeliveryKey(string grainId, int version, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainId);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return $"{grainId}:{version}:{kind}";
    }

    /// <summary>
    /// The notices of a transition's messages, one per recipient, each keyed by (grain, version, message type): a
    /// recipient's inbox keeps one notification per key, so a notice published twice shows once.
    /// </summary>
    public static List<PendingNotice> Notices(string grainId, int version, IEnumerable<NotificationMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return
        [
            .. from message in messages
               from recipient in message.Recipients.Distinct(StringComparer.Ordinal)
               select new PendingNotice(recipient, new NotificationDraft(
                   DeliveryKey(grainId, version, message.Type.ToString()), message.Type, message.Text, message.Subject)),
        ];
    }

    /// <summary>
    /// Where a transition moves the row: into every list it belongs on now (each gets the new row), off every list it
    /// belonged on before and no longer does. <paramref name="before"/> is null at creation.
    /// </summary>
    public static Placement Move(IEnumerable<string>? before, IEnumerable<string> after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var into = Distinct(after);
        return new Placement(into, [.. Distinct(before ?? []).Except(into, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Where the row must be once <paramref name="next"/> follows a placement still <paramref name="pending"/>: the
    /// newest row goes into the lists the next transition names, and leaves every other list that either one named
    /// (a list the earlier one was to reach may already show its now stale row).
    /// </summary>
    public static Placement Then(Placement? pending, Placement next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (pending is null)
        {
            return next;
        }

        var into = Distinct(next.Into);
        var off = Distinct(pending.Into.Concat(pending.Off).Concat(next.Off)).Except(into, StringComparer.Ordinal).ToList();
        return new Placement(into, off);
    }

    /// <summary>The one-shot effects still to publish once <paramref name="next"/> follows <paramref name="pending"/>: all of them, earlier first, each key once.</summary>
    public static List<T> Then<T>(IEnumerable<T>? pending, IEnumerable<T> next, Func<T, string> key)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(key);
        return [.. (pending ?? []).Concat(next).DistinctBy(key, StringComparer.Ordinal)];
    }

    /// <summary>What of a placement is left after a publish in which the lists of <paramref name="refused"/> failed.</summary>
    public static Placement Left(Placement tried, IEnumerable<string> refused)
    {
        ArgumentNullException.ThrowIfNull(tried);
        ArgumentNullException.ThrowIfNull(refused);
        var failed = refused.ToHashSet(StringComparer.Ordinal);
        return failed.Count == 0 ? Placement.None : new Placement([.. tried.Into.Where(failed.Contains)], [.. tried.Off.Where(failed.Contains)]);
    }

    /// <summary>The one-shot effects left after a publish: those whose keys were not <paramref name="delivered"/>, in their order.</summary>
    public static List<T> Left<T>(IEnumerable<T> tried, IEnumerable<string> delivered, Func<T, string> key)
    {
        ArgumentNullException.ThrowIfNull(tried);
        ArgumentNullException.ThrowIfNull(delivered);
        ArgumentNullException.ThrowIfNull(key);
        var done = delivered.ToHashSet(StringComparer.Ordinal);
        return [.. tried.Where(t => !done.Contains(key(t)))];
    }

    /// <summary>The key a pending notice is recognised by: its recipient's inbox and its delivery key.</summary>
    public static string KeyOf(PendingNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return notice.Recipient + "\n" + notice.Draft.DeliveryKey;
    }

    private static List<string> Distinct(IEnumerable<string> keys) => [.. keys.Distinct(StringComparer.Ordinal)];
}

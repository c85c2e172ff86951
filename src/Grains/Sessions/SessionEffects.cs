using Coaching.Inbox;
using Coaching.Notifications;
using Coaching.Outbox;

namespace Coaching.Sessions;

/// <summary>What a session's transition must do once stored (<see cref="OutboxRules"/>): its notices and its rows' moves.</summary>
public static class SessionEffects
{
    /// <summary>The notices of the transition that made <paramref name="after"/>, keyed by (session, transition, type).</summary>
    public static List<PendingNotice> Notices(SuggestedSession after, IEnumerable<NotificationMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(after);
        return OutboxRules.Notices(after.Id, after.History.IsDefault ? 0 : after.History.Length, messages);
    }

    /// <summary>Where the transition from <paramref name="before"/> (null at the suggestion) moves the session's row.</summary>
    public static Placement Move(SuggestedSession? before, SuggestedSession after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return OutboxRules.Move(before is null ? null : SessionLists.For(before), SessionLists.For(after));
    }

    /// <summary>
    /// What a row of the earlier design (the lists it was confirmed on, as of a revision) still has to publish: the row
    /// into every list it belongs on unless those already show this revision, and off the lists it no longer belongs on.
    /// </summary>
    public static Placement Earlier(SuggestedSession session, IReadOnlyCollection<string> indexedUnder, int listedRevision)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(indexedUnder);
        var wanted = SessionLists.For(session);
        var listed = SessionRow.Of(session).Revision == listedRevision ? indexedUnder : [];
        return new Placement([.. wanted.Except(listed, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. indexedUnder.Except(wanted, StringComparer.Ordinal).Distinct(StringComparer.Ordinal)]);
    }
}

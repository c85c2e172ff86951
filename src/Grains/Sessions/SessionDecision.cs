using System.Collections.Immutable;
using Coaching.Notifications;

namespace Coaching.Sessions;

/// <summary>
/// Result of a session command: the state to keep (unchanged on refusal), the notifications to
/// deliver, and the refusal if any. <see cref="Changed"/> is false for accepted no-ops (an expiry
/// check before the expiry time).
/// </summary>
public sealed record SessionDecision(
    SuggestedSession State,
    ImmutableArray<NotificationMessage> Notifications,
    Refusal? Refusal,
    bool Changed)
{
    public bool IsAccepted => Refusal is null;

    internal static SessionDecision Refuse(SuggestedSession state, Refusal refusal) => new(state, [], refusal, false);

    internal static SessionDecision Unchanged(SuggestedSession state) => new(state, [], null, false);

    internal static SessionDecision Accept(SuggestedSession state, params ImmutableArray<NotificationMessage> notifications) =>
        new(state, [.. notifications.Where(n => !n.Recipients.IsEmpty)], null, true);
}

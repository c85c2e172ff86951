namespace Coaching.Inbox;

/// <summary>
/// A notification for one recipient, kept in a grain's outbox (sessions and assessments alike) until it reached the
/// recipient's inbox. The alias is the one it was first stored under.
/// </summary>
[GenerateSerializer, Alias("coaching.pending-notice")]
public sealed record PendingNotice(
    [property: Id(0)] string Recipient,
    [property: Id(1)] NotificationDraft Draft);

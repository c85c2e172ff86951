using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Coaching.Moments;

namespace Coaching.Pipeline;

/// <summary>A validated case event as the integration sent it (API.md, Events).</summary>
[GenerateSerializer, Immutable, Alias("coaching.incoming-event")]
public sealed record IncomingEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Table,
    [property: Id(2)] string RecordId,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] ImmutableDictionary<string, string?> Fields,
    [property: Id(5)] ImmutableDictionary<string, string?> Previous);

/// <summary>What one matching opportunity did with the event.</summary>
[GenerateSerializer, Immutable, Alias("coaching.opportunity-outcome")]
public sealed record OpportunityOutcome(
    [property: Id(0)] string OpportunityId,
    [property: Id(1)] EventOutcome Outcome,
    [property: Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AssessmentId = null);

/// <summary>The answer to one event; a replay gets the first answer again.</summary>
[GenerateSerializer, Immutable, Alias("coaching.event-answer")]
public sealed record EventAnswer(
    [property: Id(0)] string EventId,
    [property: Id(1)] ImmutableArray<OpportunityOutcome> Outcomes);

/// <summary>Senders' event ids are unique per sender (the integration's <c>sub</c>): the key combines both.</summary>
public static class EventKeys
{
    /// <summary>Length-prefixed so no pair of (sender, event id) can produce the key of another.</summary>
    public static string For(string sender, string eventId)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(eventId);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sender.Length}:{sender}:{eventId}");
    }
}

/// <summary>Evaluates events against the locally cached catalog; runs on every silo (stateless worker).</summary>
[Alias("coaching.IEventIntakeGrain")]
public interface IEventIntakeGrain : IGrainWithIntegerKey
{
    /// <summary>Answers each event, in input order. Durable before it returns.</summary>
    [Alias("Ingest")] Task<ImmutableArray<EventAnswer>> Ingest(string sender, ImmutableArray<IncomingEvent> events);
}

/// <summary>A stored first answer, and whether storing it was this call (not a replay).</summary>
[GenerateSerializer, Immutable, Alias("coaching.recorded-answer")]
public sealed record RecordedAnswer(
    [property: Id(0)] EventAnswer Answer,
    [property: Id(1)] bool First);

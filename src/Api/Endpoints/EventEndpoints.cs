using Coaching.Telemetry;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>Case events from the integration: one at a time or in batches, each answered with its outcomes.</summary>
public static class EventEndpoints
{
    public const int MaxBatch = 1000;
    public const int MaxEventIdLength = 200;
    public const int MaxFields = 500;
    public const int MaxFieldNameLength = 200;
    public const int MaxValueLength = 32 * 1024;

    // Field values are the source system's free text (work notes span lines); names are single-line keys.
    private static readonly TextRule FieldValue = TextRule.MultiLine(MaxValueLength);
    private static readonly TextRule FieldName = TextRule.Line(MaxFieldNameLength);

    /// <summary>The problem of one event of a batch (same shape as a 400 answer).</summary>
    public sealed record EventProblem(string Title, int Status, string Code, IDictionary<string, string[]> Errors);

    /// <summary>One entry of a batch answer: the event's answer, or the index and problem of a bad event.</summary>
    public sealed record BatchResult(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EventId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ImmutableArray<OpportunityOutcome>? Outcomes,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EventProblem? Problem);

    public sealed record BatchAnswer(ImmutableArray<BatchResult> Results);

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events")
            .RequireAuthorization(Policies.Integration).StandardProblems().RequireRateLimiting(RateLimits.Ingestion);
        group.MapPost("/", Post).WithName("PostEvent").WithSummary("Send one case event; answers its outcomes (a replay answers the first answer).");
        group.MapPost("/batch", PostBatch).WithName("PostEventBatch").WithSummary($"Send up to {MaxBatch} events; results in input order.");
        return app;
    }

    internal static async Task<Results<Ok<EventAnswer>, ProblemHttpResult>> Post(JsonElement body, HttpContext http, IGrainFactory grains)
    {
        var checks = new RequestChecks();
        var incoming = Read(body, checks, "");
        if (!checks.Ok || incoming is null)
        {
            return Problems.Invalid(checks.Errors);
        }

        var answers = await Ingest(http, grains, [incoming], "single", new() { ["EventId"] = incoming.EventId });
        return TypedResults.Ok(answers[0]);
    }

    internal static async Task<Results<Ok<BatchAnswer>, ProblemHttpResult>> PostBatch(JsonElement body, HttpContext http, IGrainFactory grains)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            return Problems.Invalid("events", "is required: an array of events.");
        }

        var count = events.GetArrayLength();
        if (count == 0 || count > MaxBatch)
        {
            return Problems.Invalid("events", $"must have 1 to {MaxBatch} events.");
        }

        var results = new BatchResult[count];
        var good = new List<(int Index, IncomingEvent Event)>(count);
        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            var checks = new RequestChecks();
            var incoming = Read(element, checks, "");
            if (checks.Ok && incoming is not null)
            {
                good.Add((index, incoming));
            }
            else
            {
                results[index] = new BatchResult(null, null, index,
                    new EventProblem("The event is malformed.", StatusCodes.Status400BadRequest, Problems.InvalidRequest, checks.Errors));
            }

            index++;
        }

        if (good.Count > 0)
        {
            var answers = await Ingest(http, grains, [.. good.Select(g => g.Event)], "batch",
                new() { ["EventCount"] = good.Count, ["FirstEventId"] = good[0].Event.EventId });
            for (var i = 0; i < good.Count; i++)
            {
                results[good[i].Index] = new BatchResult(answers[i].EventId, answers[i].Outcomes, null, null);
            }
        }

        return TypedResults.Ok(new BatchAnswer([.. results]));
    }

    /// <summary>
    /// Hands valid events to the intake, under a log scope naming the sender (and what <paramref name="scope"/> adds),
    /// and records how long the intake took.
    /// </summary>
    internal static async Task<ImmutableArray<EventAnswer>> Ingest(
        HttpContext http, IGrainFactory grains, ImmutableArray<IncomingEvent> events, string kind, Dictionary<string, object?> scope)
    {
        var sender = Caller.From(http.User).UserId;
        scope["Sender"] = sender;
        using var logScope = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Coaching.Events").BeginScope(scope);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answers = await grains.GetGrain<IEventIntakeGrain>(0).Ingest(sender, events);
        CoachingMetrics.IngestionLatency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));
        return answers;
    }

    /// <summary>Checks one event; null (with the problems in <paramref name="checks"/>) when it is malformed.</summary>
    private static IncomingEvent? Read(JsonElement e, RequestChecks checks, string prefix)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            checks.Fail(prefix + "event", "must be an object.");
            return null;
        }

        var eventId = Text(e, "eventId", checks, prefix, TextRule.Line(MaxEventIdLength));
        var table = Text(e, "table", checks, prefix, TextRule.Line(RequestChecks.MaxIdLength));
        var recordId = Text(e, "recordId", checks, prefix, TextRule.Line(MaxEventIdLength));
        var occurredText = Text(e, "occurredAt", checks, prefix, TextRule.Line(64));
        var occurredAt = default(DateTimeOffset);
        if (occurredText is not null && !DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out occurredAt))
        {
            checks.Fail(prefix + "occurredAt", "must be an ISO 8601 time, e.g. 2026-11-20T10:00:00Z.");
        }

        var fields = Scalars(e, "fields", checks, prefix, required: true);
        var previous = Scalars(e, "previous", checks, prefix, required: false);
        return checks.Ok
            ? new IncomingEvent(eventId!, table!, recordId!, occurredAt, fields!, previous ?? ImmutableDictionary<string, string?>.Empty)
            : null;
    }

    private static string? Text(JsonElement e, string name, RequestChecks checks, string prefix, TextRule rule)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            checks.Fail(prefix + name, "is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text || string.IsNullOrWhiteSpace(text))
        {
            checks.Fail(prefix + name, "must be a non-empty string.");
            return null;
        }

        if (rule.Check(text) is { } problem)
        {
            checks.Fail(prefix + name, problem.Message);
            return null;
        }

        return text;
    }

    private static ImmutableDictionary<string, string?>? Scalars(JsonElement e, string name, RequestChecks checks, string prefix, bool required)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                checks.Fail(prefix + name, "is required: an object of field values.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            checks.Fail(prefix + name, "must be an object of field values.");
            return null;
        }

        var values = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (values.Count >= MaxFields)
            {
                checks.Fail(prefix + name, $"must have at most {MaxFields} fields.");
                return null;
            }

            if (property.Name.Length is 0 or > MaxFieldNameLength || !FieldName.Allows(property.Name))
            {
                checks.Fail(prefix + name, $"field names must be 1 to {MaxFieldNameLength} characters, on one line, without control characters.");
                return null;
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                    var text = Coaching.Moments.FieldText.FromJson(property.Value);
                    if (FieldValue.Check(text, required: false) is { } problem)
                    {
                        checks.Fail($"{prefix}{name}.{property.Name}", problem.Message);
                        return null;
                    }

                    values[property.Name] = text;
                    break;
                default:
                    checks.Fail($"{prefix}{name}.{property.Name}", "must be a string, number, boolean or null.");
                    return null;
            }
        }

        return values.ToImmutable();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Coaching.Testing;
using Xunit.Abstractions;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>One event followed from the HTTP request through the grains to PostgreSQL: one trace, and the batches it wrote in linked to it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EventTraceTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task An_event_is_one_trace_from_HTTP_through_grain_calls_to_PostgreSQL()
    {
        var settings = SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("trace"), "trace");
        await using var api = new CoachingApi(settings);
        var admin = api.Admin();
        foreach (var user in new[] { "tr-trainee", "tr-before", "tr-coach" })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson("/v1/groups/tr-coaches", new { displayName = "Coaches", members = new[] { "tr-coach" } })).Expect(HttpStatusCode.OK);
        await (await admin.PostJson("/v1/opportunities", new
        {
            name = "Reassignment", active = true, sourceTable = "incident", traineeField = "assigned_to", coachGroup = "tr-coaches",
            moment = new { field = "assigned_to", @operator = "changes" }, randomSamplePercent = 100, assessmentDuration = "P5D",
            closeOnExpiry = true, preventDuplicates = false, completion = "coach",
        })).Expect(HttpStatusCode.Created);
        // No wait for the catalog: a save answers once every silo's intake has it.

        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                || source.Name == "Npgsql" || source.Name == "Coaching",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var answer = await (await api.Integration().PostJson("/v1/events", new
        {
            eventId = "trace-1", table = "incident", recordId = "INC1", occurredAt = "2026-11-20T10:00:00Z",
            fields = new { assigned_to = "tr-trainee" }, previous = new { assigned_to = "tr-before" },
        })).Expect(HttpStatusCode.OK);
        Assert.Equal("created", answer.GetProperty("outcomes")[0].GetProperty("outcome").GetString());

        // Without an exporter the service names no spans itself (no tracing pipeline): the request span is the
        // ASP.NET Core server span of the trace that reached the intake grain.
        var intake = spans.First(s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && s.DisplayName.Contains("IEventIntakeGrain", StringComparison.Ordinal) && s.Kind == ActivityKind.Client);
        var request = Assert.Single(spans, s => s.Source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            && s.Kind == ActivityKind.Server && s.TraceId == intake.TraceId);
        Assert.Equal(default, request.ParentSpanId);
        var trace = spans.Where(s => s.TraceId == request.TraceId).OrderBy(s => s.StartTimeUtc).ToList();
        foreach (var span in trace)
        {
            output.WriteLine($"{span.StartTimeUtc:HH:mm:ss.fff} {span.Duration.TotalMilliseconds,7:F1} ms  {span.Source.Name,-34} {span.DisplayName}");
        }

        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("IEventIntakeGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("ITraineeGrain", StringComparison.Ordinal));

        // Statements go out in shared batches: a batch span links back to the spans of this trace that wrote, and the
        // driver's span of that round trip is the batch span's child.
        var batches = spans.Where(s => s.Source.Name == "Coaching" && s.DisplayName == "postgres batch"
            && s.Links.Any(l => l.Context.TraceId == request.TraceId)).ToList();
        Assert.NotEmpty(batches);
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && batches.Any(b => b.SpanId == s.ParentSpanId));
    }
}

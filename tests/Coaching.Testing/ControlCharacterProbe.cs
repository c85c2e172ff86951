using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Coaching.Assessments;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coaching.Testing;

/// <summary>
/// Text that is not text (NUL, a trailing line feed in an id) sent to a host, whatever its storage: every request is
/// refused with 400 <c>invalid-request</c> naming the field, and nothing of it is stored. The in-memory and the
/// PostgreSQL suites run the same probe, so both storages are held to the same answers.
/// </summary>
public static class ControlCharacterProbe
{
    /// <summary>Runs every refusal against <paramref name="api"/>; ids carry <paramref name="prefix"/>.</summary>
    public static async Task RunAsync(CoachingApi api, string prefix)
    {
        var admin = api.Admin();
        var integration = api.Integration();

        // An id with a trailing line feed: `$` let it through, `\z` does not.
        await ExpectField(await admin.PutJson($"/v1/users/{prefix}-alice%0A", new { displayName = "Alice" }), "id");
        await ExpectField(await admin.GetAsync($"/v1/users/{prefix}-alice%0A"), "id");

        // NUL in a name, in an id inside a body, and in a single-line name through a line break.
        await ExpectField(await admin.PutJson($"/v1/users/{prefix}-nul", new { displayName = "Al\0ice" }), "displayName");
        await ExpectField(await admin.PutJson($"/v1/users/{prefix}-nl", new { displayName = "Al\nice" }), "displayName");
        await (await admin.PutJson($"/v1/users/{prefix}-ok", new { displayName = "Alice" })).Expect(HttpStatusCode.OK);
        await ExpectField(await admin.PutJson($"/v1/groups/{prefix}-g", new { displayName = "G", members = new[] { $"{prefix}-ok", "x\0y" } }), "members[1]");
        await (await admin.GetAsync($"/v1/users/{prefix}-nul")).Expect(HttpStatusCode.NotFound);

        // NUL in an event's id and in a field value: the event is refused, not stored, and sending it again is refused again.
        var nulValue = Event($"{prefix}-e1", "Checked the logs\0");
        await ExpectField(await integration.PostJson("/v1/events", nulValue), "fields.work_notes");
        await ExpectField(await integration.PostJson("/v1/events", nulValue), "fields.work_notes");
        await ExpectField(await integration.PostJson("/v1/events", Event($"{prefix}-e\0", "fine")), "eventId");
        await ExpectField(await integration.PostJson("/v1/events", Event($"{prefix}-e2", "fine", fieldName: "work\0notes")), "fields");

        // In a batch only the bad event is refused; the good one is answered.
        var batch = await (await integration.PostJson("/v1/events/batch", new
        {
            events = new[] { Event($"{prefix}-e3", "multi-line\nwork notes are fine"), Event($"{prefix}-e4", "bad\0") },
        })).Expect(HttpStatusCode.OK);
        var results = batch.GetProperty("results");
        Assert.Equal($"{prefix}-e3", results[0].GetProperty("eventId").GetString());
        Assert.Equal(1, results[1].GetProperty("index").GetInt32());
        Assert.Equal("invalid-request", results[1].GetProperty("problem").GetProperty("code").GetString());
        Assert.True(results[1].GetProperty("problem").GetProperty("errors").TryGetProperty("fields.work_notes", out _));

        // NUL in a note is refused by the assessment's own rule; a multi-line note is fine.
        var trainee = $"{prefix}-trainee";
        var assessmentId = AssessmentIds.For($"{prefix}-COP", "probe");
        await api.Services.GetRequiredService<IGrainFactory>().GetGrain<IAssessmentGrain>(assessmentId).Create(new NewAssessment(
            $"{prefix}-COP", 1, trainee, null, new AssessmentSource("incident", "INC-1", "probe"), DateTimeOffset.UtcNow,
            TimeSpan.FromDays(5), true, CompletionMode.Coach, ImmutableDictionary<string, string?>.Empty, null, [], [], null, null));
        var asTrainee = api.As(trainee, ["agent"]);
        await ExpectField(await asTrainee.PostJson($"/v1/assessments/{assessmentId}/notes", new { text = "a note\0" }), "text");
        await (await asTrainee.PostJson($"/v1/assessments/{assessmentId}/notes", new { text = "line one\nline two" })).Expect(HttpStatusCode.OK);
        var notes = (await (await asTrainee.GetAsync($"/v1/assessments/{assessmentId}")).Expect(HttpStatusCode.OK)).GetProperty("notes");
        Assert.Equal("line one\nline two", Assert.Single(notes.EnumerateArray()).GetProperty("text").GetString());

        // A case id of 7,000 characters is not an id.
        await ExpectField(await admin.GetAsync($"/v1/cases/{new string('c', 7_000)}/sessions"), "caseId");
        await ExpectField(await admin.GetAsync($"/v1/cases/{prefix}-case%0A/sessions"), "caseId");
    }

    /// <summary>Asserts a 400 <c>invalid-request</c> whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static async Task<JsonElement> ExpectField(HttpResponseMessage response, string field)
    {
        var problem = await response.Expect(HttpStatusCode.BadRequest, "invalid-request");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name '{field}': {errors}");
        return problem;
    }

    private static object Event(string eventId, string workNotes, string fieldName = "work_notes") => new
    {
        eventId,
        table = "incident",
        recordId = "INC-" + eventId.Length,
        occurredAt = "2026-11-20T10:00:00Z",
        fields = new Dictionary<string, object?> { ["assigned_to"] = "someone", [fieldName] = workNotes },
    };
}

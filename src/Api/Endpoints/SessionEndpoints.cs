using System.Collections.Immutable;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Lists;
using Coaching.Sessions;
using Coaching.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>
/// Suggested coaching sessions (SPEC B): suggest, edit, delete, schedule, decline, complete, and the four
/// views. Function is checked by policy (suggesting needs supervisor + <c>suggestions.create</c>); the
/// object by the session's rules (its supervisor, its coach users, its trainees) and by
/// <see cref="SessionVisibility"/>: a session the caller may not read answers 404, and no list shows it. Lists are
/// rows paged inside their list grain (<see cref="ISessionListGrain"/>).
/// </summary>
public static class SessionEndpoints
{
    public const int MaxParticipants = 200;
    public const int MaxReferenceCases = 100;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public sealed record ParticipantBody(string? Type, string? Id);

    public sealed record SuggestBody(
        string? Title, ParticipantBody? Coach, List<ParticipantBody?>? Trainees, string? CoachingArea,
        DateTimeOffset? ExpiresAt, List<string?>? ReferenceCases);

    public sealed record EditBody(
        string? Title, ParticipantBody? Coach, List<ParticipantBody?>? Trainees, string? CoachingArea,
        DateTimeOffset? ExpiresAt, List<string?>? ReferenceCases);

    public sealed record ScheduleBody(
        DateTimeOffset? ScheduledAt, int? DurationMinutes, string? Title, List<ParticipantBody?>? Trainees,
        string? CoachingArea, List<string?>? ReferenceCases);

    public sealed record DeclineBody(string? Reason);

    public sealed record CompleteBody(string? Notes);

    /// <summary>One page of a view, newest suggestion first; pass <c>nextCursor</c> back as <c>cursor</c>.</summary>
    public sealed record SessionPage(ImmutableArray<SuggestedSession> Items, string? NextCursor);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/v1/sessions").WithTags("Suggested sessions")
            .RequireAuthorization(Policies.People).StandardProblems();
        sessions.MapPost("/", Suggest).WithName("SuggestSession").RequireAuthorization(Policies.SuggestSessions)
            .WithSummary("Suggest a coaching session (supervisor + suggestions.create).").Problems(409, 422);
        sessions.MapGet("/{id}", Get).WithName("GetSession").Problems(404);
        sessions.MapPatch("/{id}", Edit).WithName("EditSession").RequireAuthorization(Policies.SuggestSessions)
            .WithSummary("Its supervisor changes it while Suggested.").Problems(404, 409, 422);
        sessions.MapDelete("/{id}", Delete).WithName("DeleteSession").RequireAuthorization(Policies.SuggestSessions)
            .WithSummary("Its supervisor cancels it while Suggested.").Problems(404, 409);
        sessions.MapPost("/{id}/schedule", Schedule).WithName("ScheduleSession")
            .WithSummary("Its coach schedules it, possibly changing title, trainees, area and cases.").Problems(404, 409, 422);
        sessions.MapPost("/{id}/decline", Decline).WithName("DeclineSession")
            .WithSummary("Its coach or one of its trainees declines it, with a reason.").Problems(404, 409);
        sessions.MapPost("/{id}/complete", Complete).WithName("CompleteSession")
            .WithSummary("Its coach completes a scheduled session, with notes.").Problems(404, 409);

        var views = app.MapGroup("/v1").WithTags("Suggested sessions").RequireAuthorization(Policies.People).StandardProblems();
        views.MapGet("/me/suggested-sessions", SupervisorHome).WithName("ListMySuggestedSessions")
            .WithSummary("Supervisor home: the sessions I suggested.");
        views.MapGet("/me/coaching-sessions", CoachHome).WithName("ListMyCoachingSessions")
            .WithSummary("Coach home: sessions suggested to me or to a group I was in when it was suggested or edited.");
        views.MapGet("/agents/{userId}/sessions", AgentPage).WithName("ListAgentSessions")
            .WithSummary("Agent page: sessions where the agent is a trainee (supervisors, coaches, admins, or the agent).").Problems(404);
        views.MapGet("/cases/{caseId}/sessions", CasePage).WithName("ListCaseSessions")
            .WithSummary("Case page: sessions that reference the case.");
        return app;
    }

    internal static async Task<Results<Created<SuggestedSession>, ProblemHttpResult>> Suggest(
        SuggestBody body, Caller caller, IGrainFactory grains)
    {
        var checks = new RequestChecks();
        var coach = ReadParticipant(checks, "coach", body.Coach, required: true);
        var trainees = ReadParticipants(checks, "trainees", body.Trainees, required: true);
        var cases = ReadCases(checks, body.ReferenceCases);
        checks.Required("title", body.Title).Id("coachingArea", body.CoachingArea);
        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var id = "SES" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        var draft = new SessionDraft(body.Title!, coach!, trainees ?? [], body.CoachingArea!, body.ExpiresAt?.ToUniversalTime(), cases ?? []);
        var outcome = await grains.GetGrain<ISuggestionGrain>(id).Suggest(caller.UserId, draft);
        return outcome.Session is { } session && outcome.IsAccepted
            ? TypedResults.Created($"/v1/sessions/{id}", session)
            : Problems.From(outcome.Refusal!);
    }

    internal static async Task<Results<Ok<SuggestedSession>, ProblemHttpResult>> Get(string id, Caller caller, IGrainFactory grains) =>
        await Readable(id, caller, grains) is { } session
            ? TypedResults.Ok(session)
            : Problems.NotFound($"No session '{id}'.");

    internal static async Task<Results<Ok<SuggestedSession>, ProblemHttpResult>> Edit(
        string id, EditBody body, Caller caller, IGrainFactory grains)
    {
        var checks = new RequestChecks().Optional("title", body.Title, TextRule.Name)
            .Optional("coachingArea", body.CoachingArea, TextRule.Id);
        var coach = ReadParticipant(checks, "coach", body.Coach, required: false);
        var trainees = ReadParticipants(checks, "trainees", body.Trainees, required: false);
        var cases = ReadCases(checks, body.ReferenceCases);
        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var changes = new SessionChanges(body.Title, coach, trainees, body.CoachingArea, body.ExpiresAt?.ToUniversalTime(), cases);
        return await Act(id, caller, grains, (grain, caller) => grain.Edit(caller.UserId, changes));
    }

    internal static Task<Results<NoContent, ProblemHttpResult>> Delete(string id, Caller caller, IGrainFactory grains) =>
        Act(id, caller, grains, (grain, caller) => grain.Delete(caller.UserId), _ => TypedResults.NoContent());

    internal static async Task<Results<Ok<SuggestedSession>, ProblemHttpResult>> Schedule(
        string id, ScheduleBody body, Caller caller, IGrainFactory grains)
    {
        var checks = new RequestChecks().Optional("title", body.Title, TextRule.Name)
            .Optional("coachingArea", body.CoachingArea, TextRule.Id);
        if (body.ScheduledAt is null)
        {
            checks.Fail("scheduledAt", "is required.");
        }

        if (body.DurationMinutes is null)
        {
            checks.Fail("durationMinutes", "is required.");
        }

        var trainees = ReadParticipants(checks, "trainees", body.Trainees, required: false);
        var cases = ReadCases(checks, body.ReferenceCases);
        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var changes = new SessionChanges(body.Title, null, trainees, body.CoachingArea, null, cases);
        return await Act(id, caller, grains, (grain, caller) =>
            grain.Schedule(caller.UserId, body.ScheduledAt!.Value.ToUniversalTime(), body.DurationMinutes!.Value, changes));
    }

    internal static async Task<Results<Ok<SuggestedSession>, ProblemHttpResult>> Decline(
        string id, DeclineBody body, Caller caller, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("reason", body.Reason, TextRule.Text);
        return checks.Ok
            ? await Act(id, caller, grains, (grain, caller) => grain.Decline(caller.UserId, body.Reason))
            : Problems.Invalid(checks.Errors);
    }

    internal static async Task<Results<Ok<SuggestedSession>, ProblemHttpResult>> Complete(
        string id, CompleteBody body, Caller caller, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("notes", body.Notes, TextRule.Text);
        return checks.Ok
            ? await Act(id, caller, grains, (grain, caller) => grain.Complete(caller.UserId, body.Notes))
            : Problems.Invalid(checks.Errors);
    }

    internal static Task<Results<Ok<SessionPage>, ProblemHttpResult>> SupervisorHome(Caller caller, IGrainFactory grains, int? limit, string? cursor)
    {
        return View(grains, SessionLists.OfSupervisor(caller.UserId), Viewer(caller), limit, cursor);
    }

    internal static Task<Results<Ok<SessionPage>, ProblemHttpResult>> CoachHome(Caller caller, IGrainFactory grains, int? limit, string? cursor)
    {
        return View(grains, SessionLists.OfCoach(caller.UserId), Viewer(caller), limit, cursor);
    }

    internal static async Task<Results<Ok<SessionPage>, ProblemHttpResult>> AgentPage(
        string userId, Caller caller, IGrainFactory grains, int? limit, string? cursor)
    {
        // Supervisors, coaches and admins open any agent's page; anyone else only their own (another's is not found).
        if (!(caller.IsAdmin || caller.IsSupervisor || caller.IsCoach || caller.UserId == userId))
        {
            return Problems.NotFound($"No agent page '{userId}'.");
        }

        return await View(grains, SessionLists.OfAgent(userId), Viewer(caller), limit, cursor);
    }

    // Case ids are the source system's keys, checked by the same rule as every other path id (PathIds).
    internal static Task<Results<Ok<SessionPage>, ProblemHttpResult>> CasePage(
        string caseId, Caller caller, IGrainFactory grains, int? limit, string? cursor) =>
        View(grains, SessionLists.OfCase(caseId), Viewer(caller), limit, cursor);

    private static SessionViewer Viewer(Caller caller) => new(caller.UserId, caller.CanViewSuggestions, caller.IsAdmin, caller.IsSupervisor);

    /// <summary>The session if the caller may read it (<see cref="SessionVisibility"/>: the rule every list filters by too).</summary>
    internal static async Task<SuggestedSession?> Readable(string id, Caller caller, IGrainFactory grains) =>
        await grains.GetGrain<ISuggestionGrain>(id).Get() is { } session
        && SessionVisibility.CanRead(session, Viewer(caller))
            ? session
            : null;

    /// <summary>Runs a command and answers the session as it now is.</summary>
    internal static Task<Results<Ok<SuggestedSession>, ProblemHttpResult>> Act(
        string id, Caller caller, IGrainFactory grains, Func<ISuggestionGrain, Caller, Task<SessionOutcome>> command) =>
        Act(id, caller, grains, command, session => TypedResults.Ok(session));

    /// <summary>
    /// Runs a command; an accepted one answers <paramref name="accepted"/> of the session, a refused one its problem
    /// (<see cref="Problems.From"/>). Refusals on a session the caller may not read are 404, so ids cannot be probed.
    /// </summary>
    internal static async Task<Results<TAccepted, ProblemHttpResult>> Act<TAccepted>(
        string id, Caller caller, IGrainFactory grains, Func<ISuggestionGrain, Caller, Task<SessionOutcome>> command,
        Func<SuggestedSession, TAccepted> accepted)
        where TAccepted : IResult
    {
        if (await Readable(id, caller, grains) is null)
        {
            return Problems.NotFound($"No session '{id}'.");
        }

        var outcome = await command(grains.GetGrain<ISuggestionGrain>(id), caller);
        if (outcome.IsAccepted && outcome.Session is { } session)
        {
            return accepted(session);
        }

        var stillVisible = outcome.Session is { } current && SessionVisibility.CanRead(current, Viewer(caller));
        return Problems.From(outcome.Refusal!, stillVisible);
    }

    /// <summary>
    /// One page of a list: the list grain pages its rows and filters them by the visibility rule, then only the sessions
    /// on the page are read for their bodies (and checked by the same rule again, as a session may have changed since
    /// it pushed its row).
    /// </summary>
    internal static async Task<Results<Ok<SessionPage>, ProblemHttpResult>> View(
        IGrainFactory grains, string listKey, SessionViewer viewer, int? limit, string? cursor)
    {
        var checks = new RequestChecks();
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            checks.Fail("limit", $"must be 1 to {MaxPageSize}.");
        }

        if (cursor is not null && !(ListCursor.TryRead(cursor, out var after) && RequestChecks.IsId(after.Id)))
        {
            checks.Fail("cursor", "is not a cursor this list returned.");
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var rows = await grains.GetGrain<ISessionListGrain>(listKey).List(viewer, size, cursor);
        var sessions = await Task.WhenAll(rows.Items.Select(r => grains.GetGrain<ISuggestionGrain>(r.Id).Get()));
        CoachingMetrics.SessionListSessionsRead.Record(sessions.Length, new KeyValuePair<string, object?>("list", listKey[..listKey.IndexOf(':', StringComparison.Ordinal)]));
        return TypedResults.Ok(new SessionPage([.. sessions.OfType<SuggestedSession>().Where(s => SessionVisibility.CanRead(s, viewer))], rows.NextCursor));
    }

    private static Participant? ReadParticipant(RequestChecks checks, string field, ParticipantBody? body, bool required)
    {
        if (body is null)
        {
            if (required)
            {
                checks.Fail(field, "is required: {\"type\": \"user\"|\"group\", \"id\": ...}.");
            }

            return null;
        }

        ParticipantType? type = body.Type switch
        {
            "user" => ParticipantType.User,
            "group" => ParticipantType.Group,
            _ => null,
        };
        if (type is null)
        {
            checks.Fail($"{field}.type", "must be \"user\" or \"group\".");
        }

        checks.Id($"{field}.id", body.Id);
        return type is { } t && RequestChecks.IsId(body.Id) ? new Participant(t, body.Id!) : null;
    }

    private static ImmutableArray<Participant>? ReadParticipants(RequestChecks checks, string field, List<ParticipantBody?>? bodies, bool required)
    {
        if (bodies is null || bodies.Count == 0)
        {
            if (required || bodies is not null)
            {
                checks.Fail(field, "needs at least one user or group.");
            }

            return null;
        }

        if (bodies.Count > MaxParticipants)
        {
            checks.Fail(field, $"must have at most {MaxParticipants} entries.");
            return null;
        }

        var read = bodies.Select((b, i) => ReadParticipant(checks, $"{field}[{i}]", b, required: true)).ToList();
        return read.All(p => p is not null) ? [.. read.Select(p => p!)] : null;
    }

    private static ImmutableArray<string>? ReadCases(RequestChecks checks, List<string?>? cases)
    {
        if (cases is null)
        {
            return null;
        }

        if (cases.Count > MaxReferenceCases)
        {
            checks.Fail("referenceCases", $"must have at most {MaxReferenceCases} entries.");
            return null;
        }

        for (var i = 0; i < cases.Count; i++)
        {
            checks.Id($"referenceCases[{i}]", cases[i]);
        }

        return [.. cases.OfType<string>()];
    }
}

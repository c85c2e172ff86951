using System.Collections.Immutable;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Assessments;
using Coaching.Directory;
using Coaching.Lists;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>
/// Coaching assessments: reading one, the coach's commands, and the live lists. Who sees an assessment is decided by
/// <see cref="AssessmentVisibility"/> alone, for the read, every command and every list (each list passes the caller
/// to its queue, which filters its lines by the same rule). Anything not visible answers 404, so ids cannot be probed.
/// </summary>
public static class AssessmentEndpoints
{
    public const int MaxPage = 200;

    private static readonly string HistoryLimitNote =
        $"422 `{Refusal.Codes.HistoryLimit}`: the assessment has recorded {AssessmentLifecycle.MaxHistoryEntries} steps; " +
        "claim, reassign and reopen are refused from then on (resolve, complete and cancel are not).";

    public sealed record ReassignBody(string? Coach);

    public sealed record ResolveBody(string? Summary, AssessmentRating? Rating, string? FollowUp);

    public sealed record NoteBody(string? Text);

    /// <summary>An assessment as <c>GET /v1/assessments/{id}</c> answers it (API.md names).</summary>
    public sealed record AssessmentBody(
        string Id, string OpportunityId, int OpportunityVersion, string Trainee, string? Coach, string? CoachGroup,
        CompletionMode Completion, AssessmentState State, CloseReason? CloseReason, AssessmentSource? Source,
        IReadOnlyDictionary<string, string?> Snapshot, string? ScriptError, DateTimeOffset CreatedAt, DateTimeOffset DueAt,
        bool Overdue, bool CloseOnExpiry, string? Summary, AssessmentRating? Rating, string? FollowUp,
        IReadOnlyList<AssessmentNote> Notes, IReadOnlyList<LearningTask> LearningTasks,
        IReadOnlyList<RecommendedLearning> RecommendedLearnings, double? TraineeRating, double? CoachRating,
        IReadOnlyList<AssessmentHistoryEntry> History)
    {
        public static AssessmentBody Of(Assessment a) => new(
            a.Id, a.OpportunityId, a.OpportunityVersion, a.TraineeId, a.CoachId, a.CoachGroupId, a.Completion, a.State,
            a.CloseReason, a.Source, a.Snapshot, a.ScriptError, a.CreatedAt, a.DueAt, a.Overdue, a.CloseOnExpiry, a.Summary,
            a.Rating, a.FollowUp, a.Notes, a.LearningTasks, a.RecommendedLearnings, a.TraineeRating, a.CoachRating, a.History);
    }

    /// <summary>One line of a list.</summary>
    public sealed record AssessmentLine(
        string Id, string OpportunityId, string Trainee, string? Coach, string? CoachGroup, CompletionMode Completion,
        AssessmentState State, CloseReason? CloseReason, DateTimeOffset CreatedAt, DateTimeOffset DueAt, bool Overdue)
    {
        public static AssessmentLine Of(AssessmentSummary s) =>
            new(s.Id, s.OpportunityId, s.TraineeId, s.CoachId, s.CoachGroupId, s.Completion, s.State, s.CloseReason, s.CreatedAt, s.DueAt, s.Overdue);
    }

    public sealed record AssessmentLines(IReadOnlyList<AssessmentLine> Items, string? NextCursor);

    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder app)
    {
        var one = app.MapGroup("/v1/assessments").WithTags("Assessments")
            .RequireAuthorization(Policies.People).StandardProblems().Problems(404);
        one.MapGet("/{id}", GetAssessment).WithName("GetAssessment");
        one.MapPost("/{id}/claim", (string id, Caller caller, IGrainFactory grains) =>
            Command(id, caller, grains, (g, actor) => g.Claim(actor))).WithName("ClaimAssessment").Problems(409, 422)
            .WithDescription(HistoryLimitNote);
        one.MapPost("/{id}/start", (string id, Caller caller, IGrainFactory grains) =>
            Command(id, caller, grains, (g, actor) => g.Start(actor))).WithName("StartAssessment").Problems(409);
        one.MapPost("/{id}/complete", (string id, Caller caller, IGrainFactory grains) =>
            Command(id, caller, grains, (g, actor) => g.Complete(actor))).WithName("CompleteAssessment").Problems(409);
        one.MapPost("/{id}/reopen", (string id, Caller caller, IGrainFactory grains) =>
            Command(id, caller, grains, (g, actor) => g.Reopen(actor))).WithName("ReopenAssessment").Problems(409, 422)
            .WithDescription(HistoryLimitNote);
        one.MapPost("/{id}/cancel", (string id, Caller caller, IGrainFactory grains) =>
            Command(id, caller, grains, (g, actor) => g.Cancel(actor))).WithName("CancelAssessment")
            .RequireAuthorization(Policies.Admin).Problems(409);
        one.MapPost("/{id}/reassign", Reassign).WithName("ReassignAssessment").Problems(409, 422)
            .WithDescription("422 `coach-trainee-overlap`: the new coach is the trainee. " + HistoryLimitNote);
        one.MapPost("/{id}/resolve", Resolve).WithName("ResolveAssessment").Problems(409);
        one.MapPost("/{id}/notes", AddNote).WithName("AddAssessmentNote").Problems(409, 422)
            .WithDescription($"A work note by the assigned coach or the trainee, at most {AssessmentLifecycle.MaxTextLength} characters. " +
                $"422 `{Refusal.Codes.NotesLimit}`: the assessment already holds {AssessmentLifecycle.MaxNotes} notes, or this one would take " +
                $"its notes past {AssessmentLifecycle.MaxNotesTextLength} characters in all.");
        one.MapPost("/{id}/learning-tasks/{taskId}/complete", (string id, string taskId, Caller caller, IGrainFactory grains) =>
            Command(id, caller, grains, (g, actor) => g.CompleteLearningTask(actor, taskId))).WithName("CompleteLearningTask").Problems(409);

        app.MapGet("/v1/coaches/{userId}/assessments", CoachAssessments).WithName("ListCoachAssessments").WithTags("Assessments")
            .RequireAuthorization(Policies.People).StandardProblems().Problems(404)
            .WithSummary("A coach's assessments, optionally by state (`?state=New,InProgress`): that coach, supervisors, admins.");
        app.MapGet("/v1/coach-groups/{groupId}/assessments", GroupAssessments).WithName("ListCoachGroupAssessments").WithTags("Assessments")
            .RequireAuthorization(Policies.People).StandardProblems().Problems(404)
            .WithSummary("A coach group's queue (`?unassigned=true`: nobody assigned yet): its members, admins.");
        app.MapGet("/v1/trainees/{userId}/assessments", TraineeAssessments).WithName("ListTraineeAssessments").WithTags("Assessments")
            .RequireAuthorization(Policies.People).StandardProblems().Problems(404)
            .WithSummary("A trainee's assessments: that trainee, supervisors, admins; a coach sees those it coaches or that sit in its groups.");
        return app;
    }

    /// <summary>The caller as the visibility rule sees it, with the coach groups it is known to belong to.</summary>
    private static AssessmentViewer Viewer(Caller caller, ImmutableArray<string> coachGroups = default) =>
        new(caller.UserId, caller.IsAdmin, caller.IsSupervisor, coachGroups.IsDefault ? [] : coachGroups);

    internal static async Task<bool> IsMember(string userId, string groupId, IGrainFactory grains) =>
        await grains.GetGrain<IGroupGrain>(groupId).Get() is { } group && group.Members.Contains(userId, StringComparer.Ordinal);

    internal static async Task<Results<Ok<AssessmentBody>, ProblemHttpResult>> GetAssessment(string id, Caller caller, IGrainFactory grains)
    {
        return await Visible(id, caller, grains) is { } a
            ? TypedResults.Ok(AssessmentBody.Of(a))
            : Problems.NotFound($"No assessment '{id}'.");
    }

    /// <summary>The assessment when <see cref="AssessmentVisibility"/> lets the caller see it; its coach group is looked up only when that decides.</summary>
    internal static async Task<Assessment?> Visible(string id, Caller caller, IGrainFactory grains)
    {
        if (await grains.GetGrain<IAssessmentGrain>(id).Get() is not { } a)
        {
            return null;
        }

        var viewer = Viewer(caller);
        if (AssessmentVisibility.NeedsMembership(viewer, a) && await IsMember(caller.UserId, a.CoachGroupId!, grains))
        {
            viewer = Viewer(caller, [a.CoachGroupId!]);
        }

        return AssessmentVisibility.CanSee(viewer, a) ? a : null;
    }

    internal static async Task<Results<Ok<AssessmentBody>, ProblemHttpResult>> Command(
        string id, Caller caller, IGrainFactory grains, Func<IAssessmentGrain, AssessmentActor, Task<AssessmentChange>> command)
    {
        if (await Visible(id, caller, grains) is null)
        {
            return Problems.NotFound($"No assessment '{id}'.");
        }

        var change = await command(grains.GetGrain<IAssessmentGrain>(id), new AssessmentActor(caller.UserId, caller.IsAdmin, caller.IsCoach));
        if (change.Refusal is { } refusal)
        {
            return Problems.From(refusal, callerCanSee: true);
        }

        return change.Assessment is { } a ? TypedResults.Ok(AssessmentBody.Of(a)) : Problems.NotFound($"No assessment '{id}'.");
    }

    internal static Task<Results<Ok<AssessmentBody>, ProblemHttpResult>> Reassign(
        string id, ReassignBody body, Caller caller, IGrainFactory grains) =>
        RequestChecks.IsId(body.Coach)
            ? Command(id, caller, grains, (g, actor) => g.Reassign(actor, body.Coach!))
            : Task.FromResult<Results<Ok<AssessmentBody>, ProblemHttpResult>>(
                Problems.From(Refusal.InvalidRequest("coach", "is required: the user id of a member of the coach group.")));

    internal static Task<Results<Ok<AssessmentBody>, ProblemHttpResult>> Resolve(string id, ResolveBody body, Caller caller, IGrainFactory grains) =>
        Command(id, caller, grains, (g, actor) => g.Resolve(actor, new AssessmentResolution(body.Summary, body.Rating, body.FollowUp)));

    internal static Task<Results<Ok<AssessmentBody>, ProblemHttpResult>> AddNote(string id, NoteBody body, Caller caller, IGrainFactory grains) =>
        Command(id, caller, grains, (g, actor) => g.AddNote(actor, body.Text ?? string.Empty));

    internal static async Task<Results<Ok<AssessmentLines>, ProblemHttpResult>> CoachAssessments(
        string userId, Caller caller, IGrainFactory grains, string? state, int? limit, string? cursor)
    {
        if (!(caller.IsAdmin || caller.IsSupervisor || caller.UserId == userId))
        {
            return Problems.NotFound($"No assessments of coach '{userId}' to show.");
        }

        var checks = new RequestChecks();
        var states = ReadStates(state, checks);
        return await Page(AssessmentQueues.OfCoach(userId), new AssessmentFilter(states, Viewer: Viewer(caller)), limit, cursor, checks, grains);
    }

    internal static async Task<Results<Ok<AssessmentLines>, ProblemHttpResult>> GroupAssessments(
        string groupId, Caller caller, IGrainFactory grains, bool? unassigned, string? state, int? limit, string? cursor)
    {
        if (!(caller.IsAdmin || await IsMember(caller.UserId, groupId, grains)))
        {
            return Problems.NotFound($"No coach group '{groupId}' to show.");
        }

        var checks = new RequestChecks();
        var states = ReadStates(state, checks);
        var viewer = Viewer(caller, caller.IsAdmin ? [] : [groupId]);
        return await Page(AssessmentQueues.OfCoachGroup(groupId), new AssessmentFilter(states, unassigned ?? false, viewer), limit, cursor, checks, grains);
    }

    internal static async Task<Results<Ok<AssessmentLines>, ProblemHttpResult>> TraineeAssessments(
        string userId, Caller caller, IGrainFactory grains, string? state, int? limit, string? cursor)
    {
        var checks = new RequestChecks();
        var states = ReadStates(state, checks);
        if (caller.IsAdmin || caller.IsSupervisor || caller.UserId == userId)
        {
            return await Page(AssessmentQueues.OfTrainee(userId), new AssessmentFilter(states, Viewer: Viewer(caller)), limit, cursor, checks, grains);
        }

        if (caller.IsCoach)
        {
            // A coach sees of a trainee only what it coaches or what sits in its coach groups' queues.
            var groups = await grains.GetGrain<IUserGrain>(caller.UserId).Get() is { } me ? me.Groups : [];
            return await Page(AssessmentQueues.OfTrainee(userId), new AssessmentFilter(states, Viewer: Viewer(caller, groups)), limit, cursor, checks, grains);
        }

        return Problems.NotFound($"No assessments of trainee '{userId}' to show.");
    }

    private static ImmutableArray<AssessmentState> ReadStates(string? state, RequestChecks checks)
    {
        if (string.IsNullOrWhiteSpace(state))
        {
            return [];
        }

        var states = ImmutableArray.CreateBuilder<AssessmentState>();
        foreach (var name in state.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<AssessmentState>(name, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(name, out _))
            {
                states.Add(parsed);
            }
            else
            {
                checks.Fail("state", $"'{name}' is not one of New, InProgress, Resolved, ClosedComplete, Canceled.");
            }
        }

        return states.ToImmutable();
    }

    internal static async Task<Results<Ok<AssessmentLines>, ProblemHttpResult>> Page(
        string queue, AssessmentFilter filter, int? limit, string? cursor, RequestChecks checks, IGrainFactory grains)
    {
        if (limit is < 1 or > MaxPage)
        {
            checks.Fail("limit", $"must be from 1 to {MaxPage}.");
        }

        if (cursor is not null && !ListCursor.TryRead(cursor, out _))
        {
            checks.Fail("cursor", "is not a cursor this list gave out.");
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var page = await grains.GetGrain<IAssessmentQueueGrain>(queue).List(filter, limit ?? 50, cursor);
        return TypedResults.Ok(new AssessmentLines([.. page.Items.Select(AssessmentLine.Of)], page.NextCursor));
    }
}

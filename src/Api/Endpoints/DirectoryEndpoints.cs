using System.Collections.Immutable;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Assessments;
using Coaching.Directory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>
/// The directory (API.md "Directory"): users and groups, written by the HR/identity integration or an admin, and the
/// coaching areas and survey definitions that opportunities and sessions refer to.
/// </summary>
public static class DirectoryEndpoints
{
    public const int MaxGroupMembers = 10_000;
    public const int MaxSurveyQuestions = 100;

    public sealed record UserBody(string? DisplayName, string? Email, bool? Active);

    public sealed record GroupBody(string? DisplayName, List<string?>? Members);

    public sealed record AreaBody(string? Name);

    public sealed record QuestionBody(string? Id, string? Text, SurveyQuestionType? Type);

    public sealed record SurveyBody(string? Name, List<QuestionBody?>? Questions);

    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/v1/users").WithTags("Directory")
            .RequireAuthorization(Policies.Directory).StandardProblems();
        users.MapPut("/{id}", PutUser).WithName("PutUser").WithSummary("Create or replace a user.").Problems(422);
        users.MapGet("/{id}", GetUser).WithName("GetUser").Problems(404);
        users.MapDelete("/{id}", DeleteUser).WithName("DeleteUser").WithSummary("Mark a user deleted.").Problems(404);

        var groups = app.MapGroup("/v1/groups").WithTags("Directory")
            .RequireAuthorization(Policies.Directory).StandardProblems();
        groups.MapPut("/{id}", PutGroup).WithName("PutGroup").WithSummary("Create or replace a group and its members.").Problems(422);
        groups.MapGet("/{id}", GetGroup).WithName("GetGroup").Problems(404);

        var areas = app.MapGroup("/v1/coaching-areas").WithTags("Directory").StandardProblems();
        areas.MapPut("/{id}", PutArea).WithName("PutCoachingArea").RequireAuthorization(Policies.Directory);
        areas.MapGet("/", ListAreas).WithName("ListCoachingAreas").RequireAuthorization(Policies.AnyRole);

        var surveys = app.MapGroup("/v1/surveys").WithTags("Directory")
            .RequireAuthorization(Policies.Directory).StandardProblems();
        surveys.MapPut("/{id}", PutSurvey).WithName("PutSurvey");
        surveys.MapGet("/{id}", GetSurvey).WithName("GetSurvey").Problems(404);
        return app;
    }

    internal static async Task<Results<Ok<UserView>, ProblemHttpResult>> PutUser(string id, UserBody body, IGrainFactory grains, DirectoryAccess access)
    {
        var checks = new RequestChecks()
            .Required("displayName", body.DisplayName)
            .Optional("email", body.Email, TextRule.Line(320));
        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var user = await grains.GetGrain<IUserGrain>(id).Put(new UserUpdate(body.DisplayName!.Trim(), body.Email, body.Active ?? true));
        access.Forget(id);
        return TypedResults.Ok(user);
    }

    internal static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetUser(string id, IGrainFactory grains) =>
        await grains.GetGrain<IUserGrain>(id).Get() is { } user
            ? TypedResults.Ok(user)
            : Problems.NotFound($"No user '{id}'.");

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(string id, IGrainFactory grains, DirectoryAccess access)
    {
        if (!await grains.GetGrain<IUserGrain>(id).Delete())
        {
            return Problems.NotFound($"No user '{id}'.");
        }

        access.Forget(id);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<GroupView>, ProblemHttpResult>> PutGroup(string id, GroupBody body, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("displayName", body.DisplayName);
        if (body.Members is null)
        {
            checks.Fail("members", "is required (an empty list is fine).");
        }
        else if (body.Members.Count > MaxGroupMembers)
        {
            checks.Fail("members", $"must have at most {MaxGroupMembers} entries.");
        }
        else
        {
            for (var i = 0; i < body.Members.Count; i++)
            {
                checks.Id($"members[{i}]", body.Members[i]);
            }
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var members = body.Members!.Select(m => m!).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var known = await Task.WhenAll(members.Select(m => grains.GetGrain<IUserGrain>(m).Get()));
        var unknown = members.Where((_, i) => known[i] is null).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Rule(Refusal.Codes.UnknownUser, $"Unknown users: {string.Join(", ", unknown.Take(20))}.");
        }

        return TypedResults.Ok(await grains.GetGrain<IGroupGrain>(id).Put(body.DisplayName!.Trim(), members));
    }

    internal static async Task<Results<Ok<GroupView>, ProblemHttpResult>> GetGroup(string id, IGrainFactory grains) =>
        await grains.GetGrain<IGroupGrain>(id).Get() is { } group
            ? TypedResults.Ok(group)
            : Problems.NotFound($"No group '{id}'.");

    internal static async Task<Results<Ok<CoachingArea>, ProblemHttpResult>> PutArea(string id, AreaBody body, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("name", body.Name);
        return checks.Ok
            ? TypedResults.Ok(await grains.GetGrain<ICoachingAreasGrain>(ICoachingAreasGrain.Key).Put(id, body.Name!.Trim()))
            : Problems.Invalid(checks.Errors);
    }

    internal static async Task<Ok<ImmutableArray<CoachingArea>>> ListAreas(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICoachingAreasGrain>(ICoachingAreasGrain.Key).List());

    internal static async Task<Results<Ok<SurveyDefinition>, ProblemHttpResult>> PutSurvey(string id, SurveyBody body, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("name", body.Name);
        var questions = body.Questions ?? [];
        if (body.Questions is null || questions.Count == 0)
        {
            checks.Fail("questions", "at least one question is required.");
        }
        else if (questions.Count > MaxSurveyQuestions)
        {
            checks.Fail("questions", $"must have at most {MaxSurveyQuestions} entries.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count && i < MaxSurveyQuestions; i++)
        {
            var q = questions[i];
            if (q is null)
            {
                checks.Fail($"questions[{i}]", "is required.");
                continue;
            }

            checks.Id($"questions[{i}].id", q.Id).Required($"questions[{i}].text", q.Text, TextRule.Text);
            if (q.Type is null)
            {
                checks.Fail($"questions[{i}].type", "is required: rating or text.");
            }

            if (q.Id is not null && !seen.Add(q.Id))
            {
                checks.Fail($"questions[{i}].id", "is used twice.");
            }
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var definition = questions.Select(q => new SurveyQuestion(q!.Id!, q.Text!.Trim(), q.Type!.Value)).ToImmutableArray();
        return TypedResults.Ok(await grains.GetGrain<ISurveyGrain>(id).Put(body.Name!.Trim(), definition));
    }

    internal static async Task<Results<Ok<SurveyDefinition>, ProblemHttpResult>> GetSurvey(string id, IGrainFactory grains) =>
        await grains.GetGrain<ISurveyGrain>(id).Get() is { } survey
            ? TypedResults.Ok(survey)
            : Problems.NotFound($"No survey '{id}'.");
}

using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Roster;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>Coaching areas and survey definitions: what opportunities and sessions refer to.</summary>
public static class CatalogEndpoints
{
    public const int MaxSurveyQuestions = 100;

    public sealed record AreaBody(string? Name);

    public sealed record QuestionBody(string? Id, string? Text, SurveyQuestionType? Type);

    public sealed record SurveyBody(string? Name, List<QuestionBody?>? Questions);

    public static IEndpointRouteBuilder MapCatalogs(this IEndpointRouteBuilder app)
    {
        var areas = app.MapGroup("/v1/coaching-areas").WithTags("Directory").StandardProblems();
        areas.MapPut("/{id}", PutArea).WithName("PutCoachingArea").RequireAuthorization(Policies.Directory);
        areas.MapGet("/", ListAreas).WithName("ListCoachingAreas").RequireAuthorization(Policies.AnyRole);

        var surveys = app.MapGroup("/v1/surveys").WithTags("Directory")
            .RequireAuthorization(Policies.Directory).StandardProblems();
        surveys.MapPut("/{id}", PutSurvey).WithName("PutSurvey");
        surveys.MapGet("/{id}", GetSurvey).WithName("GetSurvey").Problems(404);
        return app;
    }

    private static async Task<Results<Ok<CoachingArea>, ProblemHttpResult>> PutArea(string id, AreaBody body, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("name", body.Name);
        return checks.Ok
            ? TypedResults.Ok(await grains.GetGrain<ICoachingAreaCatalogGrain>(ICoachingAreaCatalogGrain.Key).Put(id, body.Name!.Trim()))
            : Problems.Invalid(checks.Errors);
    }

    private static async Task<Ok<ImmutableArray<CoachingArea>>> ListAreas(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICoachingAreaCatalogGrain>(ICoachingAreaCatalogGrain.Key).List());

    private static async Task<Results<Ok<SurveyDefinition>, ProblemHttpResult>> PutSurvey(string id, SurveyBody body, IGrainFactory grains)
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

    private static async Task<Results<Ok<SurveyDefinition>, ProblemHttpResult>> GetSurvey(string id, IGrainFactory grains) =>
        await grains.GetGrain<ISurveyGrain>(id).Get() is { } survey
            ? TypedResults.Ok(survey)
            : Problems.NotFound($"No survey '{id}'.");
}

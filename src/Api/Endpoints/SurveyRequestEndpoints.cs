using System.Collections.Immutable;
using System.Text.Json;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Assessments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>
/// The caller's own survey requests (sent when an assessment is resolved) and their answers. A request is only
/// ever found in its respondent's list, so somebody else's answers 404.
/// </summary>
public static class SurveyRequestEndpoints
{
    public const int MaxPage = 200;
    public const int MaxAnswers = 100;

    public sealed record ResponseBody(Dictionary<string, JsonElement>? Answers);

    public sealed record SurveyRequestBody(
        string Id, string AssessmentId, string SurveyId, string SurveyName, SurveyAudience Audience,
        IReadOnlyList<SurveyQuestion> Questions, DateTimeOffset RequestedAt, DateTimeOffset? AnsweredAt,
        IReadOnlyDictionary<string, object?>? Answers, double? Rating)
    {
        public static SurveyRequestBody Of(SurveyRequest r, SurveyDefinition survey) => new(
            r.Id, r.AssessmentId, r.SurveyId, survey.Name, r.Audience, survey.Questions, r.RequestedAt, r.AnsweredAt,
            r.Answers?.ToDictionary(a => a.Key, a => a.Value.Number is { } n ? (object?)n : a.Value.Text, StringComparer.Ordinal),
            r.Rating);
    }

    public sealed record SurveyRequestList(IReadOnlyList<SurveyRequestBody> Items, string? NextCursor);

    public static IEndpointRouteBuilder MapSurveyRequests(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me/surveys", List).WithName("ListMySurveys").WithTags("Assessments")
            .RequireAuthorization(Policies.People).StandardProblems()
            .WithSummary("Survey requests sent to the caller, newest first (`?pending=true`: not answered yet).");
        app.MapPost("/v1/survey-requests/{id}/responses", Respond).WithName("AnswerSurvey").WithTags("Assessments")
            .RequireAuthorization(Policies.People).StandardProblems().Problems(404, 409);
        return app;
    }

    internal static async Task<Results<Ok<SurveyRequestList>, ProblemHttpResult>> List(
        Caller caller, IGrainFactory grains, bool? pending, int? limit, string? cursor)
    {
        var checks = new RequestChecks();
        if (limit is < 1 or > MaxPage)
        {
            checks.Fail("limit", $"must be from 1 to {MaxPage}.");
        }

        if (cursor is not null && !int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            checks.Fail("cursor", "is not a cursor this list gave out.");
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var page = await grains.GetGrain<ISurveyRequestsGrain>(caller.UserId).List(pending ?? false, limit ?? 50, cursor);
        return TypedResults.Ok(new SurveyRequestList([.. page.Items.Select(v => SurveyRequestBody.Of(v.Request, v.Survey))], page.NextCursor));
    }

    internal static async Task<Results<Ok<SurveyRequestBody>, ProblemHttpResult>> Respond(
        string id, ResponseBody body, Caller caller, IGrainFactory grains)
    {
        var checks = new RequestChecks();
        var answers = ImmutableDictionary.CreateBuilder<string, SurveyAnswer>(StringComparer.Ordinal);
        if (body.Answers is null)
        {
            checks.Fail("answers", "is required.");
        }
        else if (body.Answers.Count > MaxAnswers)
        {
            checks.Fail("answers", $"must have at most {MaxAnswers} entries.");
        }
        else
        {
            foreach (var (question, value) in body.Answers)
            {
                if (!RequestChecks.IsId(question))
                {
                    checks.Fail("answers", $"keys must be question ids: 1 to {RequestChecks.MaxIdLength} letters, digits or . _ - @ : characters.");
                    continue;
                }

                switch (value.ValueKind)
                {
                    case JsonValueKind.Number when value.TryGetDecimal(out var number):
                        answers[question] = SurveyAnswer.OfNumber(number);
                        break;
                    case JsonValueKind.String:
                        answers[question] = SurveyAnswer.OfText(value.GetString()!);
                        break;
                    default:
                        checks.Fail($"answers.{question}", "must be a number (rating) or a string (text).");
                        break;
                }
            }
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var respondent = grains.GetGrain<ISurveyRequestsGrain>(caller.UserId);
        var result = await respondent.Answer(id, answers.ToImmutable());
        if (result.Request is null)
        {
            return Problems.NotFound($"No survey request '{id}'.");
        }

        if (result.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }

        return result.Survey is not { } survey
            ? Problems.NotFound($"No survey request '{id}'.")
            : TypedResults.Ok(SurveyRequestBody.Of(result.Request, survey));
    }
}

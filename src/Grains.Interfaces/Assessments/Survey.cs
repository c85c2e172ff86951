using System.Collections.Immutable;

namespace Coaching.Assessments;

[GenerateSerializer, Immutable, Alias("coaching.survey-question")]
public sealed record SurveyQuestion(
    [property: Id(0)] string Id,
    [property: Id(1)] string Text,
    [property: Id(2)] SurveyQuestionType Type);

/// <summary>A survey definition (<c>PUT /v1/surveys/{id}</c>).</summary>
[GenerateSerializer, Immutable, Alias("coaching.survey-definition")]
public sealed record SurveyDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<SurveyQuestion> Questions);

/// <summary>
/// One answer as it arrived: a JSON number becomes <see cref="Number"/>, a JSON string becomes
/// <see cref="Text"/>. The validator decides whether that fits the question's type.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.survey-answer")]
public sealed record SurveyAnswer(
    [property: Id(0)] decimal? Number,
    [property: Id(1)] string? Text)
{
    public static SurveyAnswer OfNumber(decimal value) => new(value, null);
    public static SurveyAnswer OfText(string value) => new(null, value);
}

/// <summary>A survey sent to one respondent for one assessment, and its answers once given.</summary>
[GenerateSerializer, Immutable, Alias("coaching.survey-request")]
public sealed record SurveyRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] string AssessmentId,
    [property: Id(2)] string SurveyId,
    [property: Id(3)] string RespondentId,
    [property: Id(4)] SurveyAudience Audience,
    [property: Id(5)] DateTimeOffset RequestedAt,
    [property: Id(6)] DateTimeOffset? AnsweredAt = null,
    [property: Id(7)] ImmutableDictionary<string, SurveyAnswer>? Answers = null,
    [property: Id(8)] double? Rating = null);

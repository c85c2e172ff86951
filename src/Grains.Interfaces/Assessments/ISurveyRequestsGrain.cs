using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>A survey request as its respondent sees it: the request and the questions to answer.</summary>
[GenerateSerializer, Immutable, Alias("coaching.survey-request-view")]
public sealed record SurveyRequestView(
    [property: Id(0)] SurveyRequest Request,
    [property: Id(1)] SurveyDefinition Survey);

[GenerateSerializer, Immutable, Alias("coaching.survey-request-page")]
public sealed record SurveyRequestPage(
    [property: Id(0)] ImmutableArray<SurveyRequestView> Items,
    [property: Id(1)] string? NextCursor);

/// <summary>The answer to a survey response: the answered request, or why it was refused (null request: no such request).</summary>
[GenerateSerializer, Immutable, Alias("coaching.survey-answer-result")]
public sealed record SurveyAnswerResult(
    [property: Id(0)] SurveyRequest? Request,
    [property: Id(1)] Refusal? Refusal,
    [property: Id(2)] SurveyDefinition? Survey = null);

/// <summary>
/// The survey requests sent to one respondent (key: user id). The assessment sends them on its first
/// resolution; the respondent answers them here and the rating goes back to the assessment.
/// </summary>
[Alias("coaching.ISurveyRequestsGrain")]
public interface ISurveyRequestsGrain : IGrainWithStringKey
{
    /// <summary>Stores the request (with the definition it is answered against) and notifies the respondent. Idempotent by request id.</summary>
    [Alias("Send")] Task Send(SurveyRequest request, SurveyDefinition survey, string aboutName);

    /// <summary>Newest first.</summary>
    [Alias("List")] Task<SurveyRequestPage> List(bool pendingOnly, int limit, string? cursor);

    /// <summary>The respondent answers one of its requests.</summary>
    [Alias("Answer")] Task<SurveyAnswerResult> Answer(string requestId, ImmutableDictionary<string, SurveyAnswer> answers);
}

public static class SurveyRequestIds
{
    /// <summary>One request per assessment and audience, so a resent order addresses the same request.</summary>
    public static string For(string assessmentId, SurveyAudience audience) =>
        assessmentId + (audience == SurveyAudience.FilledByCoach ? "-C" : "-T");
}

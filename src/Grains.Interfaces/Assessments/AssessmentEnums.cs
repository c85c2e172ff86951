using System.Text.Json.Serialization;

namespace Coaching.Assessments;

// Wire spellings live here, once, as [JsonStringEnumMemberName] on every member: any
// JsonStringEnumConverter (with or without a naming policy) then emits API.md's exact strings.

/// <summary>Lifecycle states of a coaching assessment (SPEC part A, "Assessment lifecycle").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssessmentState>))]
public enum AssessmentState
{
    [JsonStringEnumMemberName("New")] New,
    [JsonStringEnumMemberName("InProgress")] InProgress,
    [JsonStringEnumMemberName("Resolved")] Resolved,
    [JsonStringEnumMemberName("ClosedComplete")] ClosedComplete,
    [JsonStringEnumMemberName("Canceled")] Canceled,
}

/// <summary>The coach's rating of the trainee's performance, written when resolving.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssessmentRating>))]
public enum AssessmentRating
{
    [JsonStringEnumMemberName("Excellent")] Excellent,
    [JsonStringEnumMemberName("Good")] Good,
    [JsonStringEnumMemberName("Average")] Average,
    [JsonStringEnumMemberName("Poor")] Poor,
    [JsonStringEnumMemberName("Unacceptable")] Unacceptable,
}

/// <summary>Why an assessment is closed. Null while it is open.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CloseReason>))]
public enum CloseReason
{
    /// <summary>The coach completed it after resolving.</summary>
    [JsonStringEnumMemberName("completed")] Completed,
    /// <summary>Its due date passed before it was resolved and close-on-expiry is on.</summary>
    [JsonStringEnumMemberName("expired")] Expired,
    /// <summary>Virtual completion: the trainee completed every learning task.</summary>
    [JsonStringEnumMemberName("learning-completed")] LearningCompleted,
    /// <summary>An administrator canceled it.</summary>
    [JsonStringEnumMemberName("canceled")] Canceled,
}

/// <summary>How an assessment is worked: by a coach, or by the trainee through learning tasks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CompletionMode>))]
public enum CompletionMode
{
    [JsonStringEnumMemberName("coach")] Coach,
    [JsonStringEnumMemberName("virtual")] Virtual,
}

/// <summary>Type of a survey question.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SurveyQuestionType>))]
public enum SurveyQuestionType
{
    /// <summary>An integer from 1 to 10.</summary>
    [JsonStringEnumMemberName("rating")] Rating,
    /// <summary>Free text.</summary>
    [JsonStringEnumMemberName("text")] Text,
}

/// <summary>
/// Who fills a survey. The opportunity's "survey for trainee" is about the trainee and is filled by
/// the coach; its "survey for coach" is about the coach and is filled by the trainee.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SurveyAudience>))]
public enum SurveyAudience
{
    /// <summary>The opportunity's trainee survey, answered by the coach about the trainee.</summary>
    [JsonStringEnumMemberName("filled-by-coach")] FilledByCoach,
    /// <summary>The opportunity's coach survey, answered by the trainee about the coach.</summary>
    [JsonStringEnumMemberName("filled-by-trainee")] FilledByTrainee,
}

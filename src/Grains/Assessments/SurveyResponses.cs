using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>
/// Survey answers: validation against the definition and roll-up into the assessment.
/// <para>Roll-up rule: a response's rating is the arithmetic mean of its rating answers (each an
/// integer 1-10); text answers do not count; a response without rating answers has no rating (null).
/// An assessment gets one survey request per audience, so <see cref="Assessment.TraineeRating"/> is the
/// rating of the response the coach gave about the trainee and <see cref="Assessment.CoachRating"/> the
/// rating of the response the trainee gave about the coach.</para>
/// <para>Unanswered questions are allowed (all questions are optional) but a response needs at least
/// one answer. A request is answered once; a second response is <c>invalid-state</c>.</para>
/// </summary>
public static class SurveyResponses
{
    public const int MinRating = 1;
    public const int MaxRating = 10;

    /// <summary>Every problem of a response, in question order of the answers given (empty: valid).</summary>
    public static ImmutableArray<RefusalReason> Validate(SurveyDefinition definition, IReadOnlyDictionary<string, SurveyAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count == 0)
        {
            return [new RefusalReason(FieldCodes.NoAnswers, "A response needs at least one answer.", "answers")];
        }

        var questions = definition.Questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
        var problems = ImmutableArray.CreateBuilder<RefusalReason>();
        foreach (var (questionId, answer) in answers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var field = $"answers.{questionId}";
            if (!questions.TryGetValue(questionId, out var question))
            {
                problems.Add(new RefusalReason(FieldCodes.UnknownQuestion, $"The survey has no question '{questionId}'.", field));
                continue;
            }

            switch (question.Type)
            {
                case SurveyQuestionType.Rating when answer.Number is not { } n || answer.Text is not null:
                    problems.Add(new RefusalReason(FieldCodes.WrongAnswerType, $"Question '{questionId}' takes a rating from {MinRating} to {MaxRating}.", field));
                    break;
                case SurveyQuestionType.Rating when answer.Number is { } n && (n != decimal.Truncate(n) || n < MinRating || n > MaxRating):
                    problems.Add(new RefusalReason(FieldCodes.RatingOutOfRange, $"Question '{questionId}' takes a whole number from {MinRating} to {MaxRating}.", field));
                    break;
                case SurveyQuestionType.Text when answer.Text is null || answer.Number is not null:
                    problems.Add(new RefusalReason(FieldCodes.WrongAnswerType, $"Question '{questionId}' takes a text answer.", field));
                    break;
                case SurveyQuestionType.Text when TextRule.Text.Check(answer.Text, required: false) is { } problem:
                    problems.Add(problem.For(field));
                    break;
                default:
                    break;
            }
        }

        return problems.ToImmutable();
    }

    /// <summary>Mean of the rating answers (see the roll-up rule); null when there are none.</summary>
    public static double? RollUp(SurveyDefinition definition, IReadOnlyDictionary<string, SurveyAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(answers);
        var ratings = definition.Questions
            .Where(q => q.Type == SurveyQuestionType.Rating)
            .Select(q => answers.TryGetValue(q.Id, out var a) ? a.Number : null)
            .OfType<decimal>()
            .ToList();
        return ratings.Count == 0 ? null : (double)ratings.Average();
    }

    /// <summary>
    /// The respondent answers a survey request: checks who answers, that it is still open and that
    /// the answers fit the definition, then records them with their rolled-up rating.
    /// </summary>
    public static (SurveyRequest Request, Refusal? Refusal) Answer(
        SurveyRequest request, SurveyDefinition definition, string respondentId, IReadOnlyDictionary<string, SurveyAnswer> answers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(answers);
        if (respondentId != request.RespondentId)
        {
            return (request, Refusal.NotAllowed("Only the person the survey was sent to can answer it."));
        }

        if (request.AnsweredAt is not null)
        {
            return (request, Refusal.InvalidState("This survey was already answered."));
        }

        var problems = Validate(definition, answers);
        if (!problems.IsEmpty)
        {
            return (request, Refusal.InvalidRequest(problems));
        }

        return (request with
        {
            AnsweredAt = now,
            Answers = answers.ToImmutableDictionary(StringComparer.Ordinal),
            Rating = RollUp(definition, answers),
        }, null);
    }

    /// <summary>Puts an answered request's rating on its assessment (no transition, no history).</summary>
    public static Assessment ApplyRating(Assessment assessment, SurveyRequest answered)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(answered);
        if (answered.AssessmentId != assessment.Id || answered.AnsweredAt is null)
        {
            return assessment;
        }

        return answered.Audience == SurveyAudience.FilledByCoach
            ? assessment with { TraineeRating = answered.Rating }
            : assessment with { CoachRating = answered.Rating };
    }
}

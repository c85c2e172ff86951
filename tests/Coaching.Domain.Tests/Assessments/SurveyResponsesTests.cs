using System.Collections.Immutable;
using Coaching.Assessments;

namespace Coaching.Domain.Tests.Assessments;

public class SurveyResponsesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static readonly SurveyDefinition Survey = new("coach-effectiveness", "Coach effectiveness",
    [
        new SurveyQuestion("clarity", "How clear was the coaching?", SurveyQuestionType.Rating),
        new SurveyQuestion("useful", "How useful was it?", SurveyQuestionType.Rating),
        new SurveyQuestion("comment", "Anything else?", SurveyQuestionType.Text),
    ]);

    private static SurveyAnswer N(decimal n) => SurveyAnswer.OfNumber(n);

    private static SurveyAnswer T(string t) => SurveyAnswer.OfText(t);

    // question id, answer, expected code (null: valid)
    public static TheoryData<string, SurveyAnswer, string?> Answers => new()
    {
        { "clarity", N(1), null },
        { "clarity", N(10), null },
        { "clarity", N(0), "rating-out-of-range" },
        { "clarity", N(11), "rating-out-of-range" },
        { "clarity", N(7.5m), "rating-out-of-range" },
        { "clarity", T("7"), "wrong-answer-type" },
        { "clarity", new SurveyAnswer(null, null), "wrong-answer-type" },
        { "comment", T("Great"), null },
        { "comment", T(""), null },
        { "comment", N(3), "wrong-answer-type" },
        { "comment", T(new string('x', 10_001)), "too-long" },
        { "nope", N(5), "unknown-question" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Each_answer_is_checked_against_its_question(string questionId, SurveyAnswer answer, string? code)
    {
        var problems = SurveyResponses.Validate(Survey, new Dictionary<string, SurveyAnswer> { [questionId] = answer });

        Assert.Equal(code, problems.SingleOrDefault()?.Code);
        if (code is not null)
        {
            Assert.Equal($"answers.{questionId}", problems[0].Field);
        }
    }

    [Fact]
    public void An_empty_response_is_refused_and_all_problems_are_listed()
    {
        var empty = SurveyResponses.Validate(Survey, new Dictionary<string, SurveyAnswer>());
        var many = SurveyResponses.Validate(Survey, new Dictionary<string, SurveyAnswer> { ["x"] = N(1), ["clarity"] = N(99), ["comment"] = N(1) });

        Assert.Equal("no-answers", Assert.Single(empty).Code);
        Assert.Equal(["rating-out-of-range", "wrong-answer-type", "unknown-question"], many.Select(p => p.Code).ToArray());
    }

    // clarity, useful (null: unanswered), expected mean
    [Theory]
    [InlineData(8, 6, 7.0)]
    [InlineData(9, 10, 9.5)]
    [InlineData(3, null, 3.0)]
    [InlineData(null, null, null)]
    public void Rating_is_the_mean_of_the_rating_answers(int? clarity, int? useful, double? expected)
    {
        var answers = new Dictionary<string, SurveyAnswer> { ["comment"] = T("text does not count") };
        if (clarity is { } c)
        {
            answers["clarity"] = N(c);
        }

        if (useful is { } u)
        {
            answers["useful"] = N(u);
        }

        Assert.Equal(expected, SurveyResponses.RollUp(Survey, answers));
    }

    [Theory]
    [InlineData(SurveyAudience.FilledByTrainee, null, 7.0)]
    [InlineData(SurveyAudience.FilledByCoach, 7.0, null)]
    public void Answering_rolls_the_rating_up_into_the_assessment(SurveyAudience audience, double? traineeRating, double? coachRating)
    {
        var respondent = audience == SurveyAudience.FilledByCoach ? "coach" : "trainee";
        var request = new SurveyRequest("sr-1", "a-1", Survey.Id, respondent, audience, Now);
        var assessment = new Assessment { Id = "a-1", TraineeId = "trainee", CoachId = "coach" };

        var (answered, refusal) = SurveyResponses.Answer(request, Survey, respondent,
            new Dictionary<string, SurveyAnswer> { ["clarity"] = N(8), ["useful"] = N(6) }, Now.AddHours(1));
        var rolled = SurveyResponses.ApplyRating(assessment, answered);

        Assert.Null(refusal);
        Assert.Equal(Now.AddHours(1), answered.AnsweredAt);
        Assert.Equal(7.0, answered.Rating);
        Assert.Equal((traineeRating, coachRating), (rolled.TraineeRating, rolled.CoachRating));
    }

    [Fact]
    public void Only_the_respondent_answers_and_only_once()
    {
        var request = new SurveyRequest("sr-1", "a-1", Survey.Id, "trainee", SurveyAudience.FilledByTrainee, Now);
        var answers = new Dictionary<string, SurveyAnswer> { ["clarity"] = N(5) };

        var (_, wrongPerson) = SurveyResponses.Answer(request, Survey, "coach", answers, Now);
        var (_, invalid) = SurveyResponses.Answer(request, Survey, "trainee", new Dictionary<string, SurveyAnswer> { ["clarity"] = N(0) }, Now);
        var (answered, _) = SurveyResponses.Answer(request, Survey, "trainee", answers, Now);
        var (unchanged, twice) = SurveyResponses.Answer(answered, Survey, "trainee", answers, Now.AddHours(1));

        Assert.Equal(RefusalKind.NotAllowed, wrongPerson?.Kind);
        Assert.Equal(RefusalKind.InvalidRequest, invalid?.Kind);
        Assert.Equal("rating-out-of-range", invalid!.Reasons[0].Code);
        Assert.Equal(RefusalKind.InvalidState, twice?.Kind);
        Assert.Same(answered, unchanged);
    }

    [Fact]
    public void A_request_for_another_assessment_does_not_touch_this_one()
    {
        var answered = new SurveyRequest("sr-9", "a-other", Survey.Id, "trainee", SurveyAudience.FilledByTrainee, Now, Now, ImmutableDictionary<string, SurveyAnswer>.Empty, 9);
        var assessment = new Assessment { Id = "a-1" };

        Assert.Same(assessment, SurveyResponses.ApplyRating(assessment, answered));
    }
}

namespace Coaching.Assessments;

/// <summary>Per-field detail codes inside an <c>invalid-request</c> refusal (the <c>errors</c> of a 400).</summary>
public static class FieldCodes
{
    public const string Required = "required";
    public const string TooLong = "too-long";
    public const string InvalidId = "invalid-id";
    public const string InvalidCharacters = "invalid-characters";
    public const string UnknownQuestion = "unknown-question";
    public const string WrongAnswerType = "wrong-answer-type";
    public const string RatingOutOfRange = "rating-out-of-range";
    public const string NoAnswers = "no-answers";
}

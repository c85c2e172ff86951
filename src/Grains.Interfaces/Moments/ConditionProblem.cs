namespace Coaching.Moments;

/// <summary>One reason a moment was rejected at save (<c>invalid-condition</c>): a JSON path such as
/// <c>moment.all[1].operator</c> and a message for people.</summary>
[GenerateSerializer, Immutable, Alias("coaching.condition-problem")]
public sealed record ConditionProblem(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message);

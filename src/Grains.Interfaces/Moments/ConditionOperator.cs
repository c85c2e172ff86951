using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Coaching.Moments;

/// <summary>The operators of a coaching-moment leaf condition (SPEC.md part A).</summary>
[GenerateSerializer, Alias("coaching.condition-operator")]
public enum ConditionOperator
{
    [JsonStringEnumMemberName("changes")] Changes,
    [JsonStringEnumMemberName("changes_to")] ChangesTo,
    [JsonStringEnumMemberName("changes_from")] ChangesFrom,
    [JsonStringEnumMemberName("is")] Is,
    [JsonStringEnumMemberName("is_not")] IsNot,
    [JsonStringEnumMemberName("is_empty")] IsEmpty,
    [JsonStringEnumMemberName("is_not_empty")] IsNotEmpty,
    [JsonStringEnumMemberName("contains")] Contains,
    [JsonStringEnumMemberName("not_contains")] NotContains,
    [JsonStringEnumMemberName("starts_with")] StartsWith,
    [JsonStringEnumMemberName("greater_than")] GreaterThan,
    [JsonStringEnumMemberName("less_than")] LessThan,
    [JsonStringEnumMemberName("is_one_of")] IsOneOf,
}

/// <summary>What kind of <c>value</c> an operator takes.</summary>
public enum ConditionValueKind
{
    /// <summary>No value may be given.</summary>
    None,
    /// <summary>One string, number or boolean.</summary>
    Scalar,
    /// <summary>One number (or a string that parses as one).</summary>
    Number,
    /// <summary>A non-empty list of strings or numbers.</summary>
    List,
}

/// <summary>Wire spelling and value rules of <see cref="ConditionOperator"/>.</summary>
public static class ConditionOperators
{
    private static readonly string[] Names =
    [
        "changes", "changes_to", "changes_from", "is", "is_not", "is_empty", "is_not_empty",
        "contains", "not_contains", "starts_with", "greater_than", "less_than", "is_one_of",
    ];

    /// <summary>All wire names, in enum order (for error messages and OpenAPI).</summary>
    public static IReadOnlyList<string> WireNames => Names;

    public static string ToWire(this ConditionOperator op) =>
        (uint)op < (uint)Names.Length ? Names[(int)op] : throw new ArgumentOutOfRangeException(nameof(op));

    /// <summary>Exact (case-sensitive) match on the wire name.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out ConditionOperator? op)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                op = (ConditionOperator)i;
                return true;
            }
        }

        op = null;
        return false;
    }

    public static ConditionValueKind ValueKind(this ConditionOperator op) => op switch
    {
        ConditionOperator.Changes or ConditionOperator.IsEmpty or ConditionOperator.IsNotEmpty => ConditionValueKind.None,
        ConditionOperator.GreaterThan or ConditionOperator.LessThan => ConditionValueKind.Number,
        ConditionOperator.IsOneOf => ConditionValueKind.List,
        _ => ConditionValueKind.Scalar,
    };
}

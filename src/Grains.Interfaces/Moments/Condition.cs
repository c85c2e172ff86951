using System.Collections.Immutable;

namespace Coaching.Moments;

/// <summary>A coaching-moment condition tree. Build it with MomentParser (which validates); evaluate with MomentEvaluator.</summary>
[GenerateSerializer, Immutable, Alias("coaching.condition")]
public abstract record Condition;

/// <summary>Matches when every child matches.</summary>
[GenerateSerializer, Immutable, Alias("coaching.condition-all")]
public sealed record AllCondition([property: Id(0)] ImmutableArray<Condition> Conditions) : Condition
{
    public bool Equals(AllCondition? other) =>
        other is not null && Conditions.AsSpan().SequenceEqual(other.Conditions.AsSpan());

    public override int GetHashCode() => ConditionHash.Of(Conditions, 17);
}

/// <summary>Matches when at least one child matches.</summary>
[GenerateSerializer, Immutable, Alias("coaching.condition-any")]
public sealed record AnyCondition([property: Id(0)] ImmutableArray<Condition> Conditions) : Condition
{
    public bool Equals(AnyCondition? other) =>
        other is not null && Conditions.AsSpan().SequenceEqual(other.Conditions.AsSpan());

    public override int GetHashCode() => ConditionHash.Of(Conditions, 31);
}

/// <summary>One test of one field. <see cref="Value"/> is null exactly for operators that take none.</summary>
[GenerateSerializer, Immutable, Alias("coaching.condition-leaf")]
public sealed record LeafCondition(
    [property: Id(0)] string Field,
    [property: Id(1)] ConditionOperator Operator,
    [property: Id(2)] ConditionValue? Value) : Condition;

/// <summary>
/// The right-hand side of a leaf: <see cref="Text"/> for a scalar (numbers keep their JSON text, booleans are
/// <c>true</c>/<c>false</c>), <see cref="Items"/> for <c>is_one_of</c>. <see cref="Number"/> caches the parsed
/// number of <see cref="Text"/> so the hot path never parses the condition side.
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.condition-value")]
public sealed record ConditionValue
{
    private ConditionValue(string? text, double? number, ImmutableArray<string> items, bool isJsonNumber)
    {
        Text = text;
        Number = number;
        Items = items;
        IsJsonNumber = isJsonNumber;
    }

    [Id(0)] public string? Text { get; init; }

    [Id(1)] public double? Number { get; init; }

    [Id(2)] public ImmutableArray<string> Items { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The value was written as a JSON number (kept only so it is written back the same way).</summary>
    [Id(3)] public bool IsJsonNumber { get; init; }

    /// <summary>True when this is a list value (is_one_of).</summary>
    public bool IsList => Text is null;

    public static ConditionValue Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConditionValue(text, FieldText.TryParseNumber(text, out var n) ? n : null, ImmutableArray<string>.Empty, false);
    }

    public static ConditionValue OfNumber(double number)
    {
        if (!double.IsFinite(number))
        {
            throw new ArgumentOutOfRangeException(nameof(number), "Only finite numbers.");
        }

        return new ConditionValue(number.ToString("R", System.Globalization.CultureInfo.InvariantCulture), number, ImmutableArray<string>.Empty, true);
    }

    /// <summary>From the raw text of a JSON number token (kept as written, e.g. <c>1.50</c>).</summary>
    public static ConditionValue OfJsonNumber(string rawText)
    {
        if (!FieldText.TryParseNumber(rawText, out var n))
        {
            throw new ArgumentException("Not a finite number.", nameof(rawText));
        }

        return new ConditionValue(rawText, n, ImmutableArray<string>.Empty, true);
    }

    public static ConditionValue OfList(IEnumerable<string> items)
    {
        var list = items.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("A list value needs at least one item.", nameof(items));
        }

        return new ConditionValue(null, null, list, false);
    }

    public bool Equals(ConditionValue? other) =>
        other is not null
        && string.Equals(Text, other.Text, StringComparison.Ordinal)
        && Items.AsSpan().SequenceEqual(other.Items.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Text, StringComparer.Ordinal);
        foreach (var item in Items)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}

internal static class ConditionHash
{
    public static int Of(ImmutableArray<Condition> conditions, int seed)
    {
        var hash = new HashCode();
        hash.Add(seed);
        foreach (var c in conditions)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }
}

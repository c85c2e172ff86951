using System.Collections.Immutable;

namespace Coaching.Moments;

/// <summary>
/// Evaluates a coaching moment against an event. Pure, allocation-free and never throws on event data:
/// a missing field reads as null.
/// </summary>
/// <remarks>
/// Semantics (documented in the API reference too):
/// <list type="bullet">
/// <item>Empty = missing, null, "" or whitespace only. Two empty values are equal.</item>
/// <item>Equality (<c>is</c>, <c>is_not</c>, <c>changes_to</c>, <c>changes_from</c>, <c>is_one_of</c>, and "changed"):
/// numerically when both sides parse as finite invariant-culture numbers ("10" is 10.0), otherwise ordinal and
/// case-sensitive, because these operators compare identifiers and choice values (user ids, states).</item>
/// <item>Text search (<c>contains</c>, <c>not_contains</c>, <c>starts_with</c>): ordinal ignoring case, as the
/// ServiceNow condition builder behaves. A missing field contains nothing (<c>not_contains</c> is then true).</item>
/// <item>Ordering (<c>greater_than</c>, <c>less_than</c>): numeric when both sides are numbers ("10" &gt; "9"),
/// otherwise ordinal string order (which also orders ISO 8601 timestamps correctly). An empty field is
/// neither greater nor less than anything.</item>
/// </list>
/// </remarks>
public static class MomentEvaluator
{
    public static bool Matches(Condition condition, EventFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return condition switch
        {
            LeafCondition leaf => Matches(leaf, fields),
            AllCondition all => AllMatch(all.Conditions, fields),
            AnyCondition any => AnyMatch(any.Conditions, fields),
            _ => false,
        };
    }

    public static bool Matches(LeafCondition leaf, EventFields fields)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(fields);
        var current = fields.Current.Get(leaf.Field);
        var value = leaf.Value;
        switch (leaf.Operator)
        {
            case ConditionOperator.Changes:
                return fields.Previous.TryGet(leaf.Field, out var before) && !SameValue(before, current);
            case ConditionOperator.ChangesTo:
                return value is not null
                    && fields.Previous.TryGet(leaf.Field, out before)
                    && !SameValue(before, current)
                    && Equal(current, value);
            case ConditionOperator.ChangesFrom:
                return value is not null
                    && fields.Previous.TryGet(leaf.Field, out before)
                    && !SameValue(before, current)
                    && Equal(before, value);
            case ConditionOperator.Is:
                return value is not null && Equal(current, value);
            case ConditionOperator.IsNot:
                return value is not null && !Equal(current, value);
            case ConditionOperator.IsEmpty:
                return current.IsEmpty;
            case ConditionOperator.IsNotEmpty:
                return !current.IsEmpty;
            case ConditionOperator.Contains:
                return Contains(current, value);
            case ConditionOperator.NotContains:
                return value?.Text is not null && !Contains(current, value);
            case ConditionOperator.StartsWith:
                return current.Text is not null && value?.Text is { } prefix
                    && current.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
            case ConditionOperator.GreaterThan:
                return value is not null && Compare(current, value) is > 0;
            case ConditionOperator.LessThan:
                return value is not null && Compare(current, value) is < 0;
            case ConditionOperator.IsOneOf:
                return value is not null && IsOneOf(current, value.Items);
            default:
                return false;
        }
    }

    /// <summary>Whether two field values are the same for change detection (see remarks on the class).</summary>
    public static bool SameValue(in FieldValue a, in FieldValue b)
    {
        var aEmpty = a.IsEmpty;
        var bEmpty = b.IsEmpty;
        if (aEmpty || bEmpty)
        {
            return aEmpty && bEmpty;
        }

        if (a.IsNumber && b.IsNumber)
        {
            return a.Number == b.Number;
        }

        return string.Equals(a.Text, b.Text, StringComparison.Ordinal);
    }

    private static bool AllMatch(ImmutableArray<Condition> conditions, EventFields fields)
    {
        foreach (var c in conditions)
        {
            if (!Matches(c, fields))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyMatch(ImmutableArray<Condition> conditions, EventFields fields)
    {
        foreach (var c in conditions)
        {
            if (Matches(c, fields))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Equal(in FieldValue field, ConditionValue value)
    {
        if (value.Text is not { } text)
        {
            return false;
        }

        var fieldEmpty = field.IsEmpty;
        var valueEmpty = FieldText.IsEmpty(text);
        if (fieldEmpty || valueEmpty)
        {
            return fieldEmpty && valueEmpty;
        }

        if (field.IsNumber && value.Number is { } number)
        {
            return field.Number == number;
        }

        return string.Equals(field.Text, text, StringComparison.Ordinal);
    }

    private static bool IsOneOf(in FieldValue field, ImmutableArray<string> items)
    {
        if (items.IsDefaultOrEmpty || field.IsEmpty)
        {
            return false;
        }

        foreach (var item in items)
        {
            if (field.IsNumber && FieldText.TryParseNumber(item, out var number)
                ? field.Number == number
                : string.Equals(field.Text, item, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(in FieldValue field, ConditionValue? value) =>
        field.Text is not null && value?.Text is { } needle
        && field.Text.Contains(needle, StringComparison.OrdinalIgnoreCase);

    private static int? Compare(in FieldValue field, ConditionValue value)
    {
        if (field.IsEmpty || value.Text is null)
        {
            return null;
        }

        if (field.IsNumber && value.Number is { } number)
        {
            return field.Number.CompareTo(number);
        }

        return string.CompareOrdinal(field.Text, value.Text);
    }
}

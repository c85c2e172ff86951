using System.Text.Json;

namespace Coaching.Moments;

/// <summary>A field value prepared for evaluation: its text (see <see cref="FieldText"/>) and, parsed once,
/// its number when the text is one.</summary>
public readonly struct FieldValue
{
    public FieldValue(string? text)
    {
        Text = text;
        double number = 0;
        IsNumber = text is not null && FieldText.TryParseNumber(text, out number);
        Number = number;
    }

    public string? Text { get; }

    public bool IsNumber { get; }

    /// <summary>Only meaningful when <see cref="IsNumber"/>.</summary>
    public double Number { get; }

    public bool IsEmpty => FieldText.IsEmpty(Text);

    public override string ToString() => Text ?? "null";
}

/// <summary>
/// The field values of one side of an event (<c>fields</c> or <c>previous</c>), keyed by field name
/// (ordinal, case-sensitive, as the source system spells them). Built once per event and shared by every
/// opportunity evaluated against it, so numbers are parsed once per event, not once per condition.
/// </summary>
public sealed class FieldValues
{
    public static readonly FieldValues Empty = new(new Dictionary<string, FieldValue>(0, StringComparer.Ordinal));

    private readonly Dictionary<string, FieldValue> values;

    private FieldValues(Dictionary<string, FieldValue> values) => this.values = values;

    public int Count => values.Count;

    public IEnumerable<string> Names => values.Keys;

    /// <summary>From a JSON object; null, undefined or a non-object give <see cref="Empty"/>.</summary>
    public static FieldValues FromJson(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var values = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            // Last one wins on a repeated name, as System.Text.Json deserialization does.
            values[property.Name] = new FieldValue(FieldText.FromJson(property.Value));
        }

        return new FieldValues(values);
    }

    public static FieldValues From(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dictionary = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var (name, text) in values)
        {
            dictionary[name] = new FieldValue(text);
        }

        return new FieldValues(dictionary);
    }

    public bool Contains(string field) => values.ContainsKey(field);

    public bool TryGet(string field, out FieldValue value) => values.TryGetValue(field, out value);

    /// <summary>The value of a field; a missing field reads as null.</summary>
    public FieldValue Get(string field) => values.TryGetValue(field, out var value) ? value : default;

    /// <summary>The text of a field, null when missing.</summary>
    public string? GetText(string field) => values.TryGetValue(field, out var value) ? value.Text : null;

    /// <summary>Plain copy (name to text), e.g. for a snapshot or a script.</summary>
    public Dictionary<string, string?> ToDictionary()
    {
        var copy = new Dictionary<string, string?>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            copy[name] = value.Text;
        }

        return copy;
    }

    public Dictionary<string, FieldValue>.Enumerator GetEnumerator() => values.GetEnumerator();
}

/// <summary>What a condition is evaluated against: an event's current <c>fields</c> and its <c>previous</c> values.</summary>
public sealed class EventFields
{
    public EventFields(FieldValues current, FieldValues previous)
    {
        Current = current ?? throw new ArgumentNullException(nameof(current));
        Previous = previous ?? throw new ArgumentNullException(nameof(previous));
    }

    public FieldValues Current { get; }

    public FieldValues Previous { get; }

    /// <summary>From the <c>fields</c> and <c>previous</c> JSON objects of an event (previous may be absent/null).</summary>
    public static EventFields FromJson(JsonElement fields, JsonElement previous) =>
        new(FieldValues.FromJson(fields), FieldValues.FromJson(previous));

    public static EventFields From(
        IEnumerable<KeyValuePair<string, string?>> fields,
        IEnumerable<KeyValuePair<string, string?>>? previous) =>
        new(FieldValues.From(fields), previous is null ? FieldValues.Empty : FieldValues.From(previous));

    /// <summary>
    /// A field changed when it is present in <c>previous</c> with a value different from the current one
    /// (a field missing from <c>fields</c> reads as null). "Different" is the negation of
    /// <see cref="MomentEvaluator.SameValue"/>: two empty values are the same, numbers compare as numbers.
    /// </summary>
    public bool Changed(string field) =>
        Previous.TryGet(field, out var before) && !MomentEvaluator.SameValue(before, Current.Get(field));

    /// <summary>Names of the fields that changed, in the order of <c>previous</c>.</summary>
    public List<string> ChangedFields()
    {
        var changed = new List<string>();
        foreach (var (name, before) in Previous)
        {
            if (!MomentEvaluator.SameValue(before, Current.Get(name)))
            {
                changed.Add(name);
            }
        }

        return changed;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Coaching.Moments;

/// <summary>Bounds on a moment so hostile input cannot exhaust the stack or memory.</summary>
public sealed record MomentLimits
{
    public static MomentLimits Default { get; } = new();

    /// <summary>Nesting levels, counting the root (a bare leaf is depth 1, <c>{all:[leaf]}</c> is 2).</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Leaf conditions in the whole tree.</summary>
    public int MaxConditions { get; init; } = 200;

    /// <summary>Items of one <c>is_one_of</c> list.</summary>
    public int MaxListItems { get; init; } = 500;

    /// <summary>Characters of a field name or a value.</summary>
    public int MaxTextLength { get; init; } = 1024;

    /// <summary>Problems reported before the parser gives up.</summary>
    public int MaxProblems { get; init; } = 20;
}

/// <summary>Either a valid <see cref="Condition"/> or the problems that make the moment invalid.</summary>
public sealed record MomentParseResult(Condition? Condition, IReadOnlyList<ConditionProblem> Problems)
{
    public bool IsValid => Condition is not null;
}

/// <summary>
/// Parses and validates a coaching moment (API.md): <c>{"all": [...]}</c>, <c>{"any": [...]}</c>, nested, or a
/// bare leaf <c>{"field", "operator", "value"?}</c>. Runs at save time: anything the evaluator could not
/// evaluate is reported here, so event time never sees a malformed condition.
/// </summary>
public static class MomentParser
{
    public static MomentParseResult Parse(JsonElement moment, MomentLimits? limits = null, string path = "moment")
    {
        var run = new Run(limits ?? MomentLimits.Default);
        var condition = run.Node(moment, path, 1);
        return run.Problems.Count == 0 && condition is not null
            ? new MomentParseResult(condition, [])
            : new MomentParseResult(null, run.Problems);
    }

    /// <summary>Parses JSON text (e.g. from storage or tests); malformed JSON is a problem, not an exception.</summary>
    public static MomentParseResult Parse(string json, MomentLimits? limits = null, string path = "moment")
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement, limits, path);
        }
        catch (JsonException e)
        {
            return new MomentParseResult(null, [new ConditionProblem(path, "Not valid JSON: " + e.Message)]);
        }
    }

    private sealed class Run(MomentLimits limits)
    {
        private int leaves;

        public List<ConditionProblem> Problems { get; } = [];

        private bool GaveUp => Problems.Count >= limits.MaxProblems || leaves > limits.MaxConditions;

        public Condition? Node(JsonElement node, string path, int depth)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                Problem(path, "A condition must be an object: a group {\"all\": [...]} or {\"any\": [...]}, or {\"field\", \"operator\", \"value\"}.");
                return null;
            }

            var hasAll = node.TryGetProperty("all", out var all);
            var hasAny = node.TryGetProperty("any", out var any);
            if (hasAll || hasAny)
            {
                if (hasAll && hasAny)
                {
                    Problem(path, "A group has either \"all\" or \"any\", not both.");
                    return null;
                }

                return Group(node, hasAll ? "all" : "any", hasAll ? all : any, path, depth);
            }

            return Leaf(node, path);
        }

        private Condition? Group(JsonElement node, string kind, JsonElement children, string path, int depth)
        {
            RejectOtherProperties(node, path, kind);
            var groupPath = path + "." + kind;
            if (depth >= limits.MaxDepth)
            {
                // Checked before descending: this is what keeps recursion bounded.
                Problem(groupPath, string.Create(CultureInfo.InvariantCulture, $"Conditions may be nested at most {limits.MaxDepth} levels deep."));
                return null;
            }

            if (children.ValueKind != JsonValueKind.Array)
            {
                Problem(groupPath, $"\"{kind}\" must be an array of conditions.");
                return null;
            }

            if (children.GetArrayLength() == 0)
            {
                Problem(groupPath, $"An \"{kind}\" group needs at least one condition.");
                return null;
            }

            var built = ImmutableArray.CreateBuilder<Condition>(children.GetArrayLength());
            var index = 0;
            var failed = false;
            foreach (var child in children.EnumerateArray())
            {
                if (GaveUp)
                {
                    return null;
                }

                var condition = Node(child, string.Create(CultureInfo.InvariantCulture, $"{groupPath}[{index}]"), depth + 1);
                if (condition is null)
                {
                    failed = true;
                }
                else
                {
                    built.Add(condition);
                }

                index++;
            }

            if (failed)
            {
                return null;
            }

            var list = built.MoveToImmutable();
            return kind == "all" ? new AllCondition(list) : new AnyCondition(list);
        }

        private LeafCondition? Leaf(JsonElement node, string path)
        {
            if (++leaves > limits.MaxConditions)
            {
                Problem(path, string.Create(CultureInfo.InvariantCulture, $"A moment may have at most {limits.MaxConditions} conditions."));
                return null;
            }

            var before = Problems.Count;
            JsonElement? field = null, op = null, value = null;
            foreach (var property in node.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "field" when field is null: field = property.Value; break;
                    case "operator" when op is null: op = property.Value; break;
                    case "value" when value is null: value = property.Value; break;
                    case "field" or "operator" or "value":
                        Problem(path + "." + property.Name, "Given more than once.");
                        break;
                    default:
                        Problem(path + "." + property.Name, "Unknown property; a condition has \"field\", \"operator\" and \"value\".");
                        break;
                }
            }

            var fieldName = RequiredText(field, path + ".field", "a field name");
            ConditionOperator? parsedOperator = null;
            if (op is not { ValueKind: JsonValueKind.String } opText)
            {
                Problem(path + ".operator", op is null ? "The operator is required." : "The operator must be a string.");
            }
            else if (!ConditionOperators.TryParse(opText.GetString(), out parsedOperator))
            {
                Problem(path + ".operator", $"Unknown operator \"{Truncate(opText.GetString())}\"; expected one of: {string.Join(", ", ConditionOperators.WireNames)}.");
            }

            ConditionValue? parsedValue = null;
            if (parsedOperator is { } known)
            {
                parsedValue = Value(known, value is { ValueKind: not JsonValueKind.Null } v ? v : null, path + ".value");
            }

            return Problems.Count == before && fieldName is not null && parsedOperator is { } o
                ? new LeafCondition(fieldName, o, parsedValue)
                : null;
        }

        private ConditionValue? Value(ConditionOperator op, JsonElement? value, string path)
        {
            var name = op.ToWire();
            switch (op.ValueKind())
            {
                case ConditionValueKind.None:
                    if (value is not null)
                    {
                        Problem(path, $"\"{name}\" takes no value.");
                    }

                    return null;

                case ConditionValueKind.Scalar:
                    if (value is not { } scalar)
                    {
                        Problem(path, $"\"{name}\" needs a value.");
                        return null;
                    }

                    var parsed = Scalar(scalar, path, $"\"{name}\" needs a string, number or boolean value.");
                    if (parsed?.Text is "" && op is ConditionOperator.Contains or ConditionOperator.NotContains or ConditionOperator.StartsWith)
                    {
                        Problem(path, $"\"{name}\" needs a non-empty text.");
                        return null;
                    }

                    return parsed;

                case ConditionValueKind.Number:
                    if (value is { ValueKind: JsonValueKind.Number } number && FieldText.TryParseNumber(number.GetRawText(), out _))
                    {
                        return ConditionValue.OfJsonNumber(number.GetRawText());
                    }

                    if (value is { ValueKind: JsonValueKind.String } text && FieldText.TryParseNumber(text.GetString(), out _))
                    {
                        return ConditionValue.Of(text.GetString()!.Trim());
                    }

                    Problem(path, $"\"{name}\" needs a number.");
                    return null;

                default:
                    return List(name, value, path);
            }
        }

        private ConditionValue? List(string name, JsonElement? value, string path)
        {
            if (value is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
            {
                Problem(path, $"\"{name}\" needs a non-empty list of values.");
                return null;
            }

            if (array.GetArrayLength() > limits.MaxListItems)
            {
                Problem(path, string.Create(CultureInfo.InvariantCulture, $"\"{name}\" takes at most {limits.MaxListItems} values."));
                return null;
            }

            var items = new List<string>(array.GetArrayLength());
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
                if (Scalar(item, itemPath, "Each value must be a string, number or boolean.") is { Text: { } text })
                {
                    items.Add(text);
                }
            }

            return items.Count == array.GetArrayLength() ? ConditionValue.OfList(items) : null;
        }

        private ConditionValue? Scalar(JsonElement value, string path, string message)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var text = value.GetString()!;
                    // Values are compared with event values, which may span lines.
                    if (TextRule.MultiLine(limits.MaxTextLength).Check(text, required: false) is { } problem)
                    {
                        Problem(path, $"The value {problem.Message}");
                        return null;
                    }

                    return ConditionValue.Of(text);
                case JsonValueKind.Number when FieldText.TryParseNumber(value.GetRawText(), out _):
                    return ConditionValue.OfJsonNumber(value.GetRawText());
                case JsonValueKind.True:
                    return ConditionValue.Of("true");
                case JsonValueKind.False:
                    return ConditionValue.Of("false");
                default:
                    Problem(path, message);
                    return null;
            }
        }

        private string? RequiredText(JsonElement? element, string path, string what)
        {
            if (element is not { ValueKind: JsonValueKind.String } text)
            {
                Problem(path, element is null ? $"{Capitalized(what)} is required." : $"{Capitalized(what)} must be a string.");
                return null;
            }

            var value = text.GetString()!;
            if (string.IsNullOrWhiteSpace(value))
            {
                Problem(path, $"{Capitalized(what)} must not be empty.");
                return null;
            }

            if (TextRule.Line(limits.MaxTextLength).Check(value) is { } problem)
            {
                Problem(path, $"{Capitalized(what)} {problem.Message}");
                return null;
            }

            return value;
        }

        private void RejectOtherProperties(JsonElement node, string path, string kind)
        {
            foreach (var property in node.EnumerateObject())
            {
                if (property.Name != kind)
                {
                    Problem(path + "." + property.Name, $"Unknown property; a group has only \"{kind}\".");
                }
            }
        }

        private void Problem(string path, string message)
        {
            if (Problems.Count < limits.MaxProblems)
            {
                Problems.Add(new ConditionProblem(path, message));
            }
        }

        private static string Capitalized(string what) => char.ToUpperInvariant(what[0]) + what[1..];

        private static string? Truncate(string? text) => text is { Length: > 64 } ? text[..64] + "…" : text;
    }
}

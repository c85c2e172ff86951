using System.Text.Json;
using Coaching.Moments;

namespace Coaching.Api.Web.Components.Opportunities;

/// <summary>
/// One node of the condition builder: an <c>all</c>/<c>any</c> group of children, or a leaf row (field, operator, value
/// as typed). It only turns what the admin typed into the moment's JSON; every check is the server's (MomentParser).
/// </summary>
public sealed class ConditionNode
{
    public const string All = "all";
    public const string Any = "any";
    public const string Leaf = "leaf";

    public string Kind { get; set; } = Leaf;

    public List<ConditionNode> Children { get; } = [];

    public string Field { get; set; } = "";

    public string Operator { get; set; } = "changes";

    public string Value { get; set; } = "";

    public bool IsGroup => Kind is All or Any;

    public static ConditionNode NewLeaf() => new();

    public static ConditionNode NewGroup(string kind = All)
    {
        var group = new ConditionNode { Kind = kind };
        group.Children.Add(NewLeaf());
        return group;
    }

    /// <summary>The builder's root for a stored moment: always a group (a bare leaf becomes the only row of "all").</summary>
    public static ConditionNode RootOf(JsonElement moment)
    {
        var node = Of(moment);
        if (node.IsGroup)
        {
            return node;
        }

        var root = new ConditionNode { Kind = All };
        root.Children.Add(node);
        return root;
    }

    private static ConditionNode Of(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return NewLeaf();
        }

        foreach (var kind in new[] { All, Any })
        {
            if (element.TryGetProperty(kind, out var children) && children.ValueKind == JsonValueKind.Array)
            {
                var group = new ConditionNode { Kind = kind };
                group.Children.AddRange(children.EnumerateArray().Select(Of));
                return group;
            }
        }

        var leaf = NewLeaf();
        leaf.Field = element.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
        leaf.Operator = element.TryGetProperty("operator", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "changes";
        leaf.Value = element.TryGetProperty("value", out var v) ? Text(v) : "";
        return leaf;
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    /// <summary>What kind of value the row's operator takes (none, one, a number, a list); unknown operators take one.</summary>
    public ConditionValueKind ValueKind =>
        ConditionOperators.TryParse(Operator, out var op) ? op.Value.ValueKind() : ConditionValueKind.Scalar;

    /// <summary>The moment's JSON for this node, as typed (a list split at commas); the server checks it, numbers included.</summary>
    public JsonElement ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (IsGroup)
        {
            writer.WriteStartArray(Kind);
            foreach (var child in Children)
            {
                child.Write(writer);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("field", Field.Trim());
            writer.WriteString("operator", Operator);
            switch (ValueKind)
            {
                case ConditionValueKind.None:
                    break;
                case ConditionValueKind.List:
                    writer.WriteStartArray("value");
                    foreach (var item in Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteString("value", Value);
                    break;
            }
        }

        writer.WriteEndObject();
    }
}

using System.Text.Json;

namespace Coaching.Moments;

/// <summary>Writes a condition back in the JSON shape <see cref="MomentParser"/> reads (for GET responses).</summary>
public static class MomentWriter
{
    public static void Write(Utf8JsonWriter writer, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (condition)
        {
            case AllCondition all:
                WriteGroup(writer, "all", all.Conditions);
                break;
            case AnyCondition any:
                WriteGroup(writer, "any", any.Conditions);
                break;
            case LeafCondition leaf:
                writer.WriteStartObject();
                writer.WriteString("field", leaf.Field);
                writer.WriteString("operator", leaf.Operator.ToWire());
                if (leaf.Value is { } value)
                {
                    writer.WritePropertyName("value");
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException("Unknown condition type " + condition?.GetType().Name, nameof(condition));
        }
    }

    public static string ToJson(Condition condition)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, condition);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static JsonElement ToJsonElement(Condition condition)
    {
        using var document = JsonDocument.Parse(ToJson(condition));
        return document.RootElement.Clone();
    }

    private static void WriteGroup(Utf8JsonWriter writer, string kind, System.Collections.Immutable.ImmutableArray<Condition> conditions)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(kind);
        foreach (var child in conditions)
        {
            Write(writer, child);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, ConditionValue value)
    {
        if (value.Text is { } text)
        {
            if (value.IsJsonNumber && value.Number is not null)
            {
                // The text is the number token as it was received, so the moment reads back unchanged.
                writer.WriteRawValue(text);
            }
            else
            {
                writer.WriteStringValue(text);
            }

            return;
        }

        writer.WriteStartArray();
        foreach (var item in value.Items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

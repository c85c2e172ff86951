using System.Globalization;
using System.Text.Json;

namespace Coaching.Moments;

/// <summary>
/// The one representation of an event field value used everywhere (conditions, snapshots, scripts):
/// a string, or null for JSON null / a missing field.
/// </summary>
/// <remarks>
/// Why text: it is cheap to serialize across grains and store, and every operator can be defined on it.
/// JSON strings stay as they are; numbers keep their JSON text (<c>10</c>, <c>1.5e3</c>) and compare
/// numerically wherever both sides parse as numbers; booleans become <c>true</c>/<c>false</c>;
/// objects and arrays keep their raw JSON text.
/// </remarks>
public static class FieldText
{
    public static string? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>Parses a finite number with invariant culture (no thousands separators, no NaN/Infinity).</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double number)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number))
        {
            return true;
        }

        number = 0;
        return false;
    }

    /// <summary>Missing, null, empty and whitespace-only values are empty.</summary>
    public static bool IsEmpty(string? text) => string.IsNullOrWhiteSpace(text);
}

using System.ComponentModel;
using System.Globalization;
using System.Xml;

namespace Coaching;

/// <summary>
/// A duration in a service setting, written either in ISO 8601 (<c>P30D</c>, <c>PT36H</c>, <c>PT5S</c>) or as a
/// <see cref="TimeSpan"/> (<c>d.hh:mm:ss</c>). Options properties of this type bind from either form through
/// <see cref="ConfiguredDurationConverter"/>, the converter the configuration binder asks for; text that is neither
/// fails the binding, and the binder's message names the key.
/// </summary>
[TypeConverter(typeof(ConfiguredDurationConverter))]
public readonly record struct ConfiguredDuration(TimeSpan Value)
{
    public static ConfiguredDuration FromDays(double days) => new(TimeSpan.FromDays(days));

    public static ConfiguredDuration FromSeconds(double seconds) => new(TimeSpan.FromSeconds(seconds));

    /// <summary>ISO 8601 when it starts with <c>P</c> (or <c>-P</c>), otherwise <c>d.hh:mm:ss</c>.</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static ConfiguredDuration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        try
        {
            return new(trimmed.StartsWith('P') || trimmed.StartsWith("-P", StringComparison.Ordinal)
                ? XmlConvert.ToTimeSpan(trimmed)
                : TimeSpan.Parse(trimmed, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"'{text}' is not a duration: write ISO 8601 (P30D, PT5S) or d.hh:mm:ss.", e);
        }
    }

    public TimeSpan ToTimeSpan() => Value;

    public static ConfiguredDuration FromTimeSpan(TimeSpan value) => new(value);

    public static implicit operator TimeSpan(ConfiguredDuration duration) => duration.Value;

    public static implicit operator ConfiguredDuration(TimeSpan value) => new(value);

    /// <summary>ISO 8601, as the settings are documented.</summary>
    public override string ToString() => XmlConvert.ToString(Value);
}

/// <summary>Converts setting text to a <see cref="ConfiguredDuration"/> (what the configuration binder uses).</summary>
public sealed class ConfiguredDurationConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? ConfiguredDuration.Parse(text) : base.ConvertFrom(context, culture, value);
}

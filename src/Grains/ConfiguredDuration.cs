using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Configuration;

namespace Coaching;

/// <summary>A duration in a service setting: ISO 8601 (<c>P30D</c>, <c>PT36H</c>) or <c>d.hh:mm:ss</c>.</summary>
public static class ConfiguredDuration
{
    /// <summary>The duration at <paramref name="key"/>; null when unset or blank.</summary>
    /// <exception cref="InvalidOperationException">The setting is not a duration: start-up stops on it.</exception>
    public static TimeSpan? Read(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return text.StartsWith('P') ? XmlConvert.ToTimeSpan(text) : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{key} '{text}' is not a duration.");
        }
    }
}

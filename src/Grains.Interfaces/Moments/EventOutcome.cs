using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Coaching.Moments;

/// <summary>What one matching opportunity did with one event (API.md, Events).</summary>
[GenerateSerializer, Alias("coaching.event-outcome")]
public enum EventOutcome
{
    [JsonStringEnumMemberName("created")] Created,
    [JsonStringEnumMemberName("no-trainee")] NoTrainee,
    [JsonStringEnumMemberName("unknown-trainee")] UnknownTrainee,
    [JsonStringEnumMemberName("not-in-trainee-group")] NotInTraineeGroup,
    [JsonStringEnumMemberName("suppressed-duplicate")] SuppressedDuplicate,
    [JsonStringEnumMemberName("sampled-out")] SampledOut,
    [JsonStringEnumMemberName("budget-exceeded")] BudgetExceeded,
}

/// <summary>Wire spelling of <see cref="EventOutcome"/>.</summary>
public static class EventOutcomes
{
    private static readonly string[] Names =
    [
        "created", "no-trainee", "unknown-trainee", "not-in-trainee-group",
        "suppressed-duplicate", "sampled-out", "budget-exceeded",
    ];

    public static IReadOnlyList<string> WireNames => Names;

    public static string ToWire(this EventOutcome outcome) =>
        (uint)outcome < (uint)Names.Length ? Names[(int)outcome] : throw new ArgumentOutOfRangeException(nameof(outcome));

    public static bool TryParse(string? name, [NotNullWhen(true)] out EventOutcome? outcome)
    {
        var i = Array.IndexOf(Names, name);
        outcome = i >= 0 ? (EventOutcome)i : null;
        return i >= 0;
    }
}

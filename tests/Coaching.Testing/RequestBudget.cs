namespace Coaching.Testing;

/// <summary>
/// For hosts whose load comes from one user faster than a person works (hostile runs, scale-in under load): the
/// per-user request budget would turn most of it away, and the budget is not what those tests measure.
/// </summary>
public static class RequestBudget
{
    /// <summary>Adds the settings that lift the per-user budget to <paramref name="settings"/> and returns them.</summary>
    public static Dictionary<string, string?> Lift(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Coaching:RateLimits:UserRequestsPerSecond"] = "1000000";
        settings["Coaching:RateLimits:UserBurst"] = "1000000";
        return settings;
    }
}

namespace Coaching.Silo;

/// <summary>The <c>ConnectionStrings</c> section: PostgreSQL for clustering, grain state and reminders; unset, all in memory.</summary>
public sealed class ConnectionStringOptions
{
    public const string Section = "ConnectionStrings";

    /// <summary><c>ConnectionStrings:Coaching</c>.</summary>
    public string? Coaching { get; set; }

    /// <summary>Whether the cluster is durable (PostgreSQL) rather than one in-memory silo.</summary>
    public bool Durable => !string.IsNullOrWhiteSpace(Coaching);
}

/// <summary>The <c>Coaching:Dashboard</c> section.</summary>
public sealed class CoachingDashboardOptions
{
    public const string Section = "Coaching:Dashboard";

    /// <summary>The Orleans dashboard on the silos, served by the API to admins at <c>/dashboard</c>.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>The <c>Coaching:Grains</c> section.</summary>
public sealed class CoachingGrainOptions
{
    public const string Section = "Coaching:Grains";

    /// <summary>How long a grain may sit idle before Orleans deactivates it; unset, Orleans' default (15 minutes).</summary>
    public ConfiguredDuration? CollectionAge { get; set; }
}

/// <summary>The <c>Coaching:Reminders</c> section.</summary>
public sealed class CoachingReminderOptions
{
    public const string Section = "Coaching:Reminders";

    /// <summary>The shortest reminder period Orleans allows; unset, Orleans' default (1 minute). Lowered only by tests.</summary>
    public ConfiguredDuration? MinimumPeriod { get; set; }
}

/// <summary>The <c>Coaching:Silo</c> section, read by a headless silo before its host is built.</summary>
public sealed class SiloOperationsOptions
{
    public const string Section = "Coaching:Silo";

    /// <summary>Where a headless silo serves <c>/metrics</c> and <c>/health/live</c>, <c>;</c>-separated; unset, nowhere.</summary>
    public string? OperationsUrls { get; set; }
}

namespace Coaching.Silo;

/// <summary>
/// Where this process sits in the cluster; bound from Orleans' own keys (<c>Orleans:ClusterId</c>,
/// <c>Orleans:ServiceId</c>, <c>Orleans:Endpoints:*</c>, i.e. <c>Orleans__ClusterId</c> and so on in the environment)
/// first, then <c>Coaching:Cluster</c> on top (<see cref="HostSettings.ReadCluster(ISiloBuilder)"/>).
/// </summary>
public sealed class CoachingClusterOptions : ICheckedSettings
{
    public const string Section = "Coaching:Cluster";

    /// <summary>The sections bound, in order: a later one wins.</summary>
    internal static readonly string[] Sections = ["Orleans", "Orleans:Endpoints", Section];

    public string ClusterId { get; set; } = "coaching";

    public string ServiceId { get; set; } = "coaching";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>IP address or host name other silos and clients use to reach this silo.</summary>
    public string? AdvertisedIPAddress { get; set; }

    public IEnumerable<string> Problems()
    {
        if (SiloPort is < 1 or > 65535)
        {
            yield return $"{Section}:{nameof(SiloPort)} (or Orleans:Endpoints:SiloPort) must be a port, 1 to 65535.";
        }

        if (GatewayPort is < 1 or > 65535)
        {
            yield return $"{Section}:{nameof(GatewayPort)} (or Orleans:Endpoints:GatewayPort) must be a port, 1 to 65535.";
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return $"{Section}:{nameof(ClusterId)} and {nameof(ServiceId)} (or Orleans:ClusterId and ServiceId) must not be blank.";
        }
    }
}

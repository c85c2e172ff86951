using Microsoft.Extensions.Configuration;

namespace Coaching.Silo;

/// <summary>Where this process sits in the cluster; bound from <c>Coaching:Cluster</c>.</summary>
public sealed class CoachingClusterOptions
{
    public const string Section = "Coaching:Cluster";

    public string ClusterId { get; set; } = "coaching";

    public string ServiceId { get; set; } = "coaching";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>IP address or host name other silos and clients use to reach this silo.</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// Reads Orleans' own keys (<c>Orleans:ClusterId</c>, <c>Orleans:ServiceId</c>,
    /// <c>Orleans:Endpoints:*</c>, i.e. <c>Orleans__ClusterId</c> and so on in the environment) first,
    /// then <c>Coaching:Cluster</c> on top.
    /// </summary>
    public static CoachingClusterOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new CoachingClusterOptions();
        var orleans = configuration.GetSection("Orleans");
        options.ClusterId = orleans["ClusterId"] ?? options.ClusterId;
        options.ServiceId = orleans["ServiceId"] ?? options.ServiceId;
        var endpoints = orleans.GetSection("Endpoints");
        options.SiloPort = endpoints.GetValue("SiloPort", options.SiloPort);
        options.GatewayPort = endpoints.GetValue("GatewayPort", options.GatewayPort);
        options.AdvertisedIPAddress = endpoints["AdvertisedIPAddress"] ?? options.AdvertisedIPAddress;

        configuration.GetSection(Section).Bind(options);
        return options;
    }
}

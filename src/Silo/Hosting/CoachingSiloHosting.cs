using Microsoft.Extensions.Configuration;

namespace Coaching.Silo;

// Temporary in-memory-only version; replaced by the PostgreSQL-aware one.
public static class CoachingSiloHosting
{
    public static ISiloBuilder UseCoachingSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var siloPort = configuration.GetValue("Coaching:Cluster:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Coaching:Cluster:GatewayPort", 30000);
        silo.UseLocalhostClustering(siloPort, gatewayPort);
        silo.AddMemoryGrainStorage(StorageNames.Coaching);
        silo.UseInMemoryReminderService();
        return silo;
    }

    public static IClientBuilder UseCoachingClient(this IClientBuilder client, IConfiguration configuration)
    {
        client.UseLocalhostClustering(configuration.GetValue("Coaching:Cluster:GatewayPort", 30000));
        return client;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coaching.Silo;

/// <summary>
/// Before any hosted service starts (so before the silo or client does, or fails to): with TLS on, loads the certificates,
/// so a wrong path or password stops the process at once, and says which certificate it presents; with TLS off in a
/// clustered process, says once that whoever reaches a silo or gateway port can join the cluster or call any grain, past
/// every check the API makes.
/// </summary>
internal sealed class ClusterTlsAtStart(IServiceProvider services, ILogger<ClusterTlsAtStart> logger, bool isSilo, bool clustered)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value.Enabled)
        {
            var certificate = services.GetRequiredService<ClusterTls>().Certificate!;
            logger.LogInformation(
                "Cluster connections use mutual TLS; this process presents {Subject} ({Thumbprint}), valid until {NotAfter:u}",
                certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime());
        }
        else if (clustered && isSilo)
        {
            logger.LogWarning(
                "Coaching:Cluster:Tls is off: the silo and gateway ports accept anyone who reaches them, unauthenticated and unencrypted; " +
                "the network must let only this cluster's silos and API processes reach them (or enable TLS, see docs/operations.md)");
        }
        else if (clustered)
        {
            logger.LogWarning(
                "Coaching:Cluster:Tls is off: this client talks to the silos' gateways unauthenticated and unencrypted; " +
                "the network must let only this cluster's silos and API processes reach those ports (or enable TLS, see docs/operations.md)");
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coaching.Silo;

/// <summary>
/// Says once, at start, that a clustered process runs without <see cref="ClusterTlsOptions"/>: whoever reaches a silo or
/// gateway port can then join the cluster or call any grain, past every check the API makes. Said before any hosted
/// service starts, so before the silo or client starts (or fails to).
/// </summary>
internal sealed class OpenPortsNotice(IOptions<ClusterTlsOptions> tls, ILogger<OpenPortsNotice> logger, bool isSilo) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (tls.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        if (isSilo)
        {
            logger.LogWarning(
                "Coaching:Cluster:Tls is off: the silo and gateway ports accept anyone who reaches them, unauthenticated and unencrypted; " +
                "the network must let only this cluster's silos and API processes reach them (or enable TLS, see docs/operations.md)");
        }
        else
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

using Microsoft.Extensions.Logging;
using Orleans.Messaging;

namespace Coaching.Silo;

/// <summary>
/// The PostgreSQL gateway list, with the schema applied first. A client initializes its gateway
/// list before any client lifecycle stage runs, so this is the earliest reliable hook.
/// </summary>
internal sealed class SchemaFirstGatewayList(IGatewayListProvider gateways, string connectionString, ILogger<SchemaFirstGatewayList> logger)
    : IGatewayListProvider
{
    public TimeSpan MaxStaleness => gateways.MaxStaleness;

    // Obsolete in Orleans 10: every provider is treated as updatable.
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public async Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken)
    {
        await SchemaAtStartup.ApplyAsync(connectionString, logger, cancellationToken).ConfigureAwait(false);
        await gateways.InitializeGatewayListProviderAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken) => gateways.GetGatewaysAsync(cancellationToken);
}

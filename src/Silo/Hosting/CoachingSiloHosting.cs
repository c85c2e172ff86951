using Orleans.Dashboard;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Membership;
using Orleans.Runtime.Hosting;
using Coaching.Assessments.Queues;
using Coaching.Sessions.Lists;
using Coaching.Inbox;
using Coaching.Opportunities;
using Coaching.Pipeline;
using Coaching.Silo.Storage;

namespace Coaching.Silo;

public static class CoachingSiloHosting
{
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Durable silo (PostgreSQL clustering, grain state and reminders) when
    /// <c>ConnectionStrings:Coaching</c> is set; otherwise a single in-memory localhost silo.
    /// </summary>
    public static ISiloBuilder UseCoachingSilo(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);

        var cluster = silo.ReadCluster();
        var connectionString = silo.Read<ConnectionStringOptions>(ConnectionStringOptions.Section).Coaching;

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, null, cluster.ServiceId, cluster.ClusterId);
            silo.AddMemoryGrainStorage(StorageNames.Coaching);
            // The answers count each first answer into the stats as they store it: one instance serves both.
            silo.Services.AddSingleton<InMemoryOpportunityCounts>();
            silo.Services.AddSingleton<IOpportunityCounts>(services => services.GetRequiredService<InMemoryOpportunityCounts>());
            silo.Services.AddSingleton<IEventAnswers, InMemoryEventAnswers>();
            silo.Services.AddSingleton<IAssessmentLines, InMemoryAssessmentLines>();
            silo.Services.AddSingleton<ISessionRows, InMemorySessionRows>();
            silo.Services.AddSingleton<INotificationStore, InMemoryNotificationStore>();
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InMemoryStateNotice>();
        }
        else
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            silo.Configure<EndpointOptions>(options => ConfigureEndpoints(options, cluster));
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = AdoNetInvariant;
                options.ConnectionString = PostgresConnections.WithoutSessionReset(connectionString);
            });
            // Grain state, event answers, queue lines, session list rows and notifications share one group-commit batcher (see PostgresBatcher).
            silo.Services.AddSingleton(services => new PostgresBatcher(
                PostgresBatcher.CreateDataSource(connectionString),
                services.GetRequiredService<ILogger<PostgresBatcher>>()));
            silo.Services.AddGrainStorage(StorageNames.Coaching, (services, _) => ActivatorUtilities.CreateInstance<PostgresGrainStorage>(services));
            silo.Services.AddSingleton<IEventAnswers, PostgresEventAnswers>();
            silo.Services.AddSingleton<IOpportunityCounts, PostgresOpportunityCounts>();
            if (silo.Read<EventAnswerOptions>(EventAnswerOptions.Section).AnswerRetention is { } retention)
            {
                silo.Services.AddHostedService(services => new EventAnswerRetention(
                    connectionString, cluster.ServiceId, retention, services.GetRequiredService<ILogger<EventAnswerRetention>>()));
            }
            silo.Services.AddSingleton<IAssessmentLines, PostgresAssessmentLines>();
            silo.Services.AddSingleton<ISessionRows, PostgresSessionRows>();
            silo.Services.AddSingleton<INotificationStore, PostgresNotificationStore>();
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = AdoNetInvariant;
                options.ConnectionString = PostgresConnections.WithoutSessionReset(connectionString);
            });
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
                new SchemaAtStartup(connectionString, services.GetRequiredService<ILogger<SchemaAtStartup>>()));
        }

        silo.Services.AddGrainSettings();

        // The silo's copy of the opportunity catalog, updated by every write before it answers (see CatalogBroadcast).
        silo.Services.AddSingleton<SiloCatalog>();
        silo.Services.AddSingleton<Coaching.Opportunities.CatalogBroadcast>();
        silo.AddPlacementDirector<SiloKeyedPlacement, SiloKeyedPlacementDirector>();

        // One grain-state format for every storage: readable JSON that tolerates added and removed members across
        // versions. The in-memory store serializes too (it keeps each state as bytes), so it must use the same
        // contracts as PostgreSQL: what a user can read may not depend on the storage or on a deactivation.
        silo.UseSystemTextJsonGrainStorageSerializer();
        SetOrleansDuration<CoachingGrainOptions, GrainCollectionOptions>(silo.Services, CoachingGrainOptions.Section,
            nameof(CoachingGrainOptions.CollectionAge), o => o.CollectionAge, (options, age) => options.CollectionAge = age);

        // Silo-to-silo and gateway connections: mutual TLS when Coaching:Cluster:Tls says so, in every mode.
        silo.Services.AddClusterTls(isSilo: true, clustered: !string.IsNullOrWhiteSpace(connectionString));

        // Traces follow a request from the API through grain calls; the dashboard's grains live on the silos.
        silo.AddActivityPropagation();
        silo.AddIncomingGrainCallFilter<Telemetry.GrainCallScope>();
        silo.AddIncomingGrainCallFilter<ReloadAfterFailure>();
        AddDashboard(silo.Services, silo.Read<CoachingDashboardOptions>(CoachingDashboardOptions.Section), () => silo.AddDashboard());

        SetOrleansDuration<CoachingReminderOptions, ReminderOptions>(silo.Services, CoachingReminderOptions.Section,
            nameof(CoachingReminderOptions.MinimumPeriod), o => o.MinimumPeriod, (options, period) => options.MinimumReminderPeriod = period);

        return silo;
    }

    /// <summary>
    /// Orleans client of the cluster: gateways listed from PostgreSQL when
    /// <c>ConnectionStrings:Coaching</c> is set, otherwise the localhost gateway of an in-memory silo.
    /// </summary>
    public static IClientBuilder UseCoachingClient(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.AddActivityPropagation();
        AddDashboard(client.Services, client.Read<CoachingDashboardOptions>(CoachingDashboardOptions.Section), () => client.AddDashboard());

        var cluster = client.ReadCluster();
        var connectionString = client.Read<ConnectionStringOptions>(ConnectionStringOptions.Section).Coaching;

        client.Services.AddClusterTls(isSilo: false, clustered: !string.IsNullOrWhiteSpace(connectionString));
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            return client;
        }

        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        client.Services.AddSingleton<IGatewayListProvider>(services => new SchemaFirstGatewayList(
            ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(services),
            connectionString,
            services.GetRequiredService<ILogger<SchemaFirstGatewayList>>()));
        return client;
    }

    /// <summary>
    /// An optional duration of ours (<paramref name="key"/> of <paramref name="section"/>, positive when set) that sets one
    /// of Orleans' options; unset, Orleans' default stands.
    /// </summary>
    private static void SetOrleansDuration<TOurs, TOrleans>(
        IServiceCollection services, string section, string key, Func<TOurs, ConfiguredDuration?> read, Action<TOrleans, TimeSpan> apply)
        where TOurs : class
        where TOrleans : class
    {
        services.AddOptions<TOurs>().BindConfiguration(section)
            .Validate(o => read(o) is not { } duration || duration.Value > TimeSpan.Zero, $"{section}:{key} must be positive.")
            .ValidateOnStart();
        services.AddOptions<TOrleans>().Configure<IOptions<TOurs>>((options, ours) =>
        {
            if (read(ours.Value) is { } duration)
            {
                apply(options, duration);
            }
        });
    }

    /// <summary>The dashboard when <c>Coaching:Dashboard:Enabled</c> (the default); the API asks the bound section whether to serve it.</summary>
    private static void AddDashboard(IServiceCollection services, CoachingDashboardOptions dashboard, Action add)
    {
        services.AddOptions<CoachingDashboardOptions>().BindConfiguration(CoachingDashboardOptions.Section);
        if (dashboard.Enabled)
        {
            add();
        }
    }

    private static void ConfigureEndpoints(EndpointOptions options, CoachingClusterOptions cluster)
    {
        options.SiloPort = cluster.SiloPort;
        options.GatewayPort = cluster.GatewayPort;
        if (string.IsNullOrWhiteSpace(cluster.AdvertisedIPAddress))
        {
            return;
        }

        var advertised = ResolveAddress(cluster.AdvertisedIPAddress);
        options.AdvertisedIPAddress = advertised;
        // A loopback silo (tests, one machine) listens on loopback only; otherwise on every interface,
        // since the advertised address may be a NAT or container address.
        var listenOn = IPAddress.IsLoopback(advertised) ? advertised : IPAddress.Any;
        options.SiloListeningEndpoint = new IPEndPoint(listenOn, cluster.SiloPort);
        options.GatewayListeningEndpoint = new IPEndPoint(listenOn, cluster.GatewayPort);
    }

    private static IPAddress ResolveAddress(string addressOrHostName)
    {
        if (IPAddress.TryParse(addressOrHostName, out var address))
        {
            return address;
        }

        var candidates = Dns.GetHostAddresses(addressOrHostName);
        return candidates.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"Advertised address '{addressOrHostName}' does not resolve to any IP address.");
    }
}

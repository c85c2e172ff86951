using Coaching.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Coaching.Testing;

/// <summary>Builds real silo and client hosts the way the product does, from in-memory configuration.</summary>
public static class SiloUnderTest
{
    public static Dictionary<string, string?> DurableConfiguration(string connectionString, string clusterId) => new()
    {
        ["ConnectionStrings:Coaching"] = connectionString,
        ["Coaching:Cluster:ClusterId"] = clusterId,
        ["Coaching:Cluster:ServiceId"] = "coaching-tests",
        ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Coaching:Cluster:AdvertisedIPAddress"] = "127.0.0.1",
        ["Coaching:Reminders:MinimumPeriod"] = "00:00:02",
    };

    public static async Task<IHost> StartSiloAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        Quiet(builder);
        services?.Invoke(builder.Services);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.UseOrleans(silo => silo.UseCoachingSilo());
        return await StartOrDisposeAsync(builder.Build());
    }

    public static async Task<IHost> StartClientAsync(IDictionary<string, string?> settings, Action<IClientBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        Quiet(builder);
        builder.UseOrleansClient(client =>
        {
            if (configure is null)
            {
                client.UseCoachingClient();
            }
            else
            {
                configure(client);
            }
        });
        return await StartOrDisposeAsync(builder.Build());
    }

    /// <summary>Starts <paramref name="host"/>; one that fails to start is stopped and disposed, so it leaves no port or timer behind.</summary>
    private static async Task<IHost> StartOrDisposeAsync(IHost host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            host.Dispose();
            throw;
        }
    }

    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    /// <summary>Active silos in <paramref name="silo"/>'s view of the membership.</summary>
    public static int ActiveSilos(IHost silo) => ActiveSilos(silo.Services);

    /// <summary>Active silos in the membership view of the silo whose services these are (a co-hosting API's too).</summary>
    public static int ActiveSilos(IServiceProvider silo) =>
        silo.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    /// <summary>Waits until each of <paramref name="silos"/> sees all of them active.</summary>
    public static async Task AssertOneClusterAsync(IReadOnlyCollection<IHost> silos)
    {
        foreach (var silo in silos)
        {
            Assert.True(
                await EventuallyAsync(() => Task.FromResult(ActiveSilos(silo) == silos.Count), TimeSpan.FromSeconds(30)),
                $"silo sees {ActiveSilos(silo)} active silos, not {silos.Count}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="within"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var giveUpAt = DateTime.UtcNow + within;
        while (DateTime.UtcNow < giveUpAt)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return await condition();
    }

    private static void Quiet(HostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
    }
}

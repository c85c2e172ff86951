using Coaching.Silo;
using Coaching.Silo.Storage;
using Coaching.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>
/// Settings as a silo reads them: those it needs while it is built (<see cref="HostSettings"/>) and those bound as
/// options and checked at start. A bad value stops the silo with a message naming its key.
/// </summary>
public sealed class HostSettingsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("P30D", "30.00:00:00")]
    [InlineData("PT36H", "1.12:00:00")]
    [InlineData("7.00:00:00", "7.00:00:00")]
    public void Event_answer_retention_reads_ISO_8601_and_time_spans(string? setting, string? expected)
    {
        var retention = Builder(new() { [EventAnswerRetention.RetentionKey] = setting })
            .Read<EventAnswerOptions>(EventAnswerOptions.Section).AnswerRetention;

        Assert.Equal(expected is null ? null : TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), retention?.Value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("P0D")]
    [InlineData("-1.00:00:00")]
    public void Event_answer_retention_that_is_not_a_positive_duration_stops_the_build_naming_the_key(string setting)
    {
        var builder = Builder(new() { [EventAnswerRetention.RetentionKey] = setting });

        var refused = Assert.ThrowsAny<Exception>(() => builder.Read<EventAnswerOptions>(EventAnswerOptions.Section));

        Assert.Contains(EventAnswerRetention.RetentionKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orleans_own_cluster_keys_are_read_and_Coaching_Cluster_wins()
    {
        var gateway = FreePort.Next();
        var silo = await SiloUnderTest.StartSiloAsync(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = "from-orleans",
            ["Orleans:ServiceId"] = "service-from-orleans",
            ["Orleans:Endpoints:SiloPort"] = "1",
            ["Orleans:Endpoints:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            var cluster = silo.Services.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>().Value;
            var endpoints = silo.Services.GetRequiredService<IOptions<Orleans.Configuration.EndpointOptions>>().Value;
            Assert.Equal(("from-orleans", "service-from-orleans"), (cluster.ClusterId, cluster.ServiceId));
            Assert.Equal(gateway, endpoints.GatewayPort);
            Assert.NotEqual(1, endpoints.SiloPort);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Theory]
    [InlineData("Coaching:Cluster:SiloPort", "70000")]
    [InlineData("Coaching:Cluster:GatewayPort", "gateway")]
    [InlineData("Coaching:Grains:CollectionAge", "PT0S")]
    [InlineData("Coaching:Grains:CollectionAge", "later")]
    [InlineData("Coaching:Reminders:MinimumPeriod", "-PT5S")]
    [InlineData("Coaching:Notifications:KeepFor", "soon")]
    [InlineData("Coaching:SessionLists:KeepClosedFor", "P0D")]
    [InlineData("Coaching:Budget:Window", "a week")]
    [InlineData("Coaching:Dashboard:Enabled", "sometimes")]
    [InlineData("Coaching:Cluster:Tls:HandshakeTimeout", "ten seconds")]
    public async Task A_bad_setting_stops_the_silo_naming_its_key(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Budget:MaxAssessments"] = "2",
            ["Coaching:Budget:Window"] = "P1D",
            [key] = value,
        };

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => SiloUnderTest.StartSiloAsync(settings));

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}

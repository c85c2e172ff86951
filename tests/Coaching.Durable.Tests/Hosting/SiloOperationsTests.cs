using System.Net;
using Coaching.Durable.Tests.Grains;
using Coaching.Silo;
using Coaching.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>The headless silo program, built as <c>src/Silo</c> builds it, with its operations port.</summary>
public sealed class SiloOperationsTests
{
    [Fact]
    public async Task A_headless_silo_serves_its_own_metrics_and_liveness_on_the_operations_port()
    {
        var port = FreePort.Next();
        using var silo = SiloProgram.Build([], config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SiloProgram.OperationsUrlsKey] = $"http://127.0.0.1:{port}",
        }));
        await silo.StartAsync();
        try
        {
            await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IJournalGrain>("ops").Write("x", DateTimeOffset.UnixEpoch);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("orleans_", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await silo.StopAsync();
        }
    }
}

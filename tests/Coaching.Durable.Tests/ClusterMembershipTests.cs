using System.Net;
using Coaching.Durable.Tests.Grains;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace Coaching.Durable.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ClusterMembershipTests(PostgresServer postgres)
{
    [Fact]
    public async Task Two_silos_form_one_cluster_reachable_through_either_gateway_and_the_coaching_client()
    {
        var database = await postgres.CreateDatabaseAsync("two_silos");
        var firstSettings = SiloUnderTest.DurableConfiguration(database, "pair");
        var secondSettings = SiloUnderTest.DurableConfiguration(database, "pair");
        var hosts = new List<IHost>();
        try
        {
            var silos = await Task.WhenAll(SiloUnderTest.StartSiloAsync(firstSettings), SiloUnderTest.StartSiloAsync(secondSettings));
            hosts.AddRange(silos);

            await SiloUnderTest.AssertOneClusterAsync(silos);

            Assert.Equal(2L, await ScalarAsync(database, "SELECT count(*) FROM orleans_membership WHERE status = 3"));

            var viaFirst = await SiloUnderTest.StartClientAsync(firstSettings, client => GatewayOf(client, firstSettings));
            hosts.Add(viaFirst);
            var viaSecond = await SiloUnderTest.StartClientAsync(secondSettings, client => GatewayOf(client, secondSettings));
            hosts.Add(viaSecond);
            var coachingClient = await SiloUnderTest.StartClientAsync(firstSettings);
            hosts.Add(coachingClient);

            var hostsSeen = await coachingClient.Services.GetRequiredService<IClusterClient>()
                .GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(2, hostsSeen.Count);

            var clients = new[] { viaFirst, viaSecond, coachingClient }.Select(h => h.Services.GetRequiredService<IClusterClient>()).ToArray();
            for (var i = 0; i < clients.Length; i++)
            {
                await clients[i].GetGrain<IJournalGrain>("shared").Write($"from client {i}", DateTimeOffset.UnixEpoch);
            }

            foreach (var client in clients)
            {
                var seen = await client.GetGrain<IJournalGrain>("shared").Read();
                Assert.Equal(["from client 0", "from client 1", "from client 2"], seen.Entries.Select(e => e.Text));
            }

            // Spread activations over both silos and check each still answers through every gateway.
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async n =>
            {
                var client = clients[n % clients.Length];
                await client.GetGrain<IJournalGrain>($"spread-{n}").Write("hello", DateTimeOffset.UnixEpoch);
                return (await clients[(n + 1) % clients.Length].GetGrain<IJournalGrain>($"spread-{n}").Read()).Entries.Count;
            }));
            Assert.All(answers, count => Assert.Equal(1, count));
            Assert.Equal(2L, await ScalarAsync(database, "SELECT count(DISTINCT address || ':' || port) FROM orleans_membership WHERE status = 3"));
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await SiloUnderTest.StopAsync(host);
            }
        }

        // Graceful shutdown leaves the table saying both silos are dead, not alive.
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM orleans_membership WHERE status = 3"));
    }

    [Fact]
    public async Task A_coaching_client_started_before_any_silo_applies_the_schema_and_connects_once_a_silo_is_up()
    {
        var database = await postgres.CreateDatabaseAsync("client_first");
        var settings = SiloUnderTest.DurableConfiguration(database, "client-first");
        IHost? silo = null;
        IHost? client = null;
        try
        {
            var clientStarting = SiloUnderTest.StartClientAsync(settings);

            // The client waits for a gateway; before it does, it must have created the schema on its own.
            Assert.True(await SiloUnderTest.EventuallyAsync(
                async () => await TableExistsAsync(database, "orleansquery") && await ScalarAsync(database, "SELECT count(*) FROM OrleansQuery") == 17,
                TimeSpan.FromSeconds(20)));
            Assert.False(clientStarting.IsCompleted);

            silo = await SiloUnderTest.StartSiloAsync(settings);
            client = await clientStarting;

            var journal = client.Services.GetRequiredService<IClusterClient>().GetGrain<IJournalGrain>("early-bird");
            await journal.Write("made it", DateTimeOffset.UnixEpoch);
            Assert.Equal(["made it"], (await journal.Read()).Entries.Select(e => e.Text));
        }
        finally
        {
            if (client is not null)
            {
                await SiloUnderTest.StopAsync(client);
            }

            if (silo is not null)
            {
                await SiloUnderTest.StopAsync(silo);
            }
        }
    }

    [Fact]
    public async Task Dead_silos_are_cleaned_from_the_membership_table()
    {
        var database = await postgres.CreateDatabaseAsync("cleanup");
        var gone = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "cleanup"));
        await SiloUnderTest.StopAsync(gone);
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM orleans_membership WHERE status = 6"));

        var survivor = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "cleanup"));
        try
        {
            var table = survivor.Services.GetRequiredService<IMembershipTable>();
            await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

            Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM orleans_membership WHERE status = 6"));
            Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM orleans_membership WHERE status = 3"));
        }
        finally
        {
            await SiloUnderTest.StopAsync(survivor);
        }
    }

    private static void GatewayOf(IClientBuilder client, IDictionary<string, string?> siloSettings)
    {
        var port = int.Parse(siloSettings["Coaching:Cluster:GatewayPort"]!, System.Globalization.CultureInfo.InvariantCulture);
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = siloSettings["Coaching:Cluster:ClusterId"]!;
            options.ServiceId = siloSettings["Coaching:Cluster:ServiceId"]!;
        });
        client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, port));
    }

    private static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

using System.Net;
using Coaching.Api.Health;
using Coaching.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>
/// A flood of anonymous readiness requests costs PostgreSQL at most one connection (the readiness check's own) and
/// still answers correctly: ready while the database answers, not ready while it cannot be reached, ready again after.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadinessFloodTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Requests = 12_000;
    private const int Parallel = 400;

    [Fact]
    public async Task A_flood_of_anonymous_readiness_requests_holds_at_most_one_database_connection()
    {
        var database = await postgres.CreateDatabaseAsync("readiness");
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        var settings = SiloUnderTest.DurableConfiguration(database, "readiness");
        settings["Coaching:Health:ReadinessCacheDuration"] = "00:00:00.500";
        await using var api = new CoachingApi(settings);
        var anonymous = api.Anonymous();
        Assert.Equal("Healthy", await Ready(anonymous, HttpStatusCode.OK));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var (_, baseline) = await Connections(name);

        using var stop = new CancellationTokenSource();
        var sampling = Sample(name, stop.Token);
        var next = -1;
        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            var seen = new List<(HttpStatusCode, string)>();
            while (Interlocked.Increment(ref next) < Requests)
            {
                using var response = await anonymous.GetAsync("/health/ready");
                seen.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            return seen;
        }).Append(OtherClientConnects(database)));
        await stop.CancelAsync();
        var (peakHealth, peakTotal) = await sampling;

        output.WriteLine($"{Requests} requests, {Parallel} in parallel: peak readiness connections {peakHealth}, " +
            $"peak connections to the database {peakTotal} (before the flood {baseline})");
        var all = answers.SelectMany(a => a).ToList();
        Assert.Equal(Requests, all.Count);
        Assert.All(all, a => Assert.Equal((HttpStatusCode.OK, "Healthy"), a));
        Assert.True(peakHealth <= 1, $"readiness held {peakHealth} connections at once");
        // The silo's own pools may open one more now and then; a connection per request would show hundreds.
        Assert.True(peakTotal <= baseline + 2, $"the service held {peakTotal} connections at the peak, {baseline} before the flood");

        // The database unreachable for the service: not ready within a few checks; reachable again: ready.
        await Sql($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false");
        await Sql($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND application_name = '{HealthSetup.ApplicationName}'");
        try
        {
            Assert.True(await SiloUnderTest.EventuallyAsync(
                async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20)));
            Assert.Equal("Unhealthy", await Ready(anonymous, HttpStatusCode.ServiceUnavailable));
        }
        finally
        {
            await Sql($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true");
        }

        Assert.True(await SiloUnderTest.EventuallyAsync(
            async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)));
    }

    private static async Task<string> Ready(HttpClient client, HttpStatusCode expected)
    {
        using var response = await client.GetAsync("/health/ready");
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Connections to <paramref name="database"/>: readiness's own, and all of them, seen from another database.</summary>
    private async Task<(int Health, int Total)> Connections(string database)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        return await Count(connection, database);
    }

    private static async Task<(int Health, int Total)> Count(NpgsqlConnection connection, string database)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE application_name = $2)::int, count(*)::int FROM pg_stat_activity WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database }, new() { Value = HealthSetup.ApplicationName } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private async Task<(int Health, int Total)> Sample(string database, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        var peak = (Health: 0, Total: 0);
        while (!stop.IsCancellationRequested)
        {
            var (health, total) = await Count(connection, database);
            peak = (Math.Max(peak.Health, health), Math.Max(peak.Total, total));
            await Task.Delay(10, CancellationToken.None);
        }

        return peak;
    }

    /// <summary>Another client (as psql would) still connects to the database in the middle of the flood.</summary>
    private static async Task<List<(HttpStatusCode, string)>> OtherClientConnects(string database)
    {
        await Task.Delay(200);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
        return [];
    }

    private async Task Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

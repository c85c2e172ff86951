using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>The real API host on PostgreSQL: embedded across a restart, and as a client of separate silos.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DurableApiTests(PostgresServer postgres)
{
    private static readonly (string Path, object Body)[] DirectoryEntries =
    [
        ("/v1/users/d-ana", new { displayName = "Ana Silva", email = "ana@example.test" }),
        ("/v1/users/d-ben", new { displayName = "Ben Okafor", active = false }),
        ("/v1/groups/d-coaches", new { displayName = "Coaches", members = new[] { "d-ana", "d-ben" } }),
        ("/v1/coaching-areas/d-empathy", new { name = "Empathy" }),
        ("/v1/surveys/d-survey", new { name = "Coach effectiveness", questions = new[] { new { id = "q1", text = "How useful?", type = "rating" } } }),
    ];

    private static readonly string[] Reads = ["/v1/users/d-ana", "/v1/users/d-ben", "/v1/groups/d-coaches", "/v1/coaching-areas", "/v1/surveys/d-survey"];

    [Fact]
    public async Task Directory_written_over_HTTP_is_read_back_unchanged_by_a_new_host_on_the_same_database()
    {
        var settings = Durable(await postgres.CreateDatabaseAsync("api_restart"), "api-restart");

        Dictionary<string, string> before;
        await using (var first = new CoachingApi(settings))
        {
            var admin = first.Admin();
            foreach (var (path, body) in DirectoryEntries)
            {
                await (await admin.PutJson(path, body)).Expect(HttpStatusCode.OK);
            }

            await (await admin.DeleteAsync("/v1/users/d-ben")).Expect(HttpStatusCode.NoContent);
            before = await ReadAll(admin);
        }

        await using var second = new CoachingApi(settings);
        var after = await ReadAll(second.Admin());
        Assert.Equal(before, after);
        Assert.Contains("\"deleted\":true", after["/v1/users/d-ben"], StringComparison.Ordinal);
        Assert.Contains("\"groups\":[\"d-coaches\"]", after["/v1/users/d-ana"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_as_a_client_serves_requests_through_two_separate_silos()
    {
        var database = await postgres.CreateDatabaseAsync("api_client");
        var silos = await Task.WhenAll(
            SiloUnderTest.StartSiloAsync(Durable(database, "api-client")),
            SiloUnderTest.StartSiloAsync(Durable(database, "api-client")));
        try
        {
            var clientSettings = Durable(database, "api-client");
            clientSettings["Coaching:Mode"] = "Client";
            await using var api = new CoachingApi(clientSettings);

            var ready = await api.Anonymous().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            var admin = api.Admin();
            foreach (var (path, body) in DirectoryEntries)
            {
                await (await admin.PutJson(path, body)).Expect(HttpStatusCode.OK);
            }

            var group = await (await admin.GetAsync("/v1/groups/d-coaches")).Expect(HttpStatusCode.OK);
            Assert.Equal(["d-ana", "d-ben"], group.GetProperty("members").EnumerateArray().Select(m => m.GetString()));

            // The grains live on the silos: the data is still there after the API client is gone.
            await using var again = new CoachingApi(clientSettings);
            var ana = await (await again.Admin().GetAsync("/v1/users/d-ana")).Expect(HttpStatusCode.OK);
            Assert.Equal("Ana Silva", ana.GetProperty("displayName").GetString());
        }
        finally
        {
            foreach (var silo in silos)
            {
                await SiloUnderTest.StopAsync(silo);
            }
        }
    }

    private static Dictionary<string, string?> Durable(string connectionString, string clusterId) =>
        SiloUnderTest.DurableConfiguration(connectionString, clusterId);

    private static async Task<Dictionary<string, string>> ReadAll(HttpClient client)
    {
        var result = new Dictionary<string, string>();
        foreach (var path in Reads)
        {
            var body = await (await client.GetAsync(path)).Expect(HttpStatusCode.OK);
            result[path] = JsonSerializer.Serialize(body);
        }

        return result;
    }
}

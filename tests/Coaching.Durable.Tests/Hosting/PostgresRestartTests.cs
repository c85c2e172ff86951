using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Coaching.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>
/// PostgreSQL goes away in the middle of ingestion and comes back: requests fail cleanly (a 503 ProblemDetails,
/// never a hang or a 500), the service recovers by itself, and client retries complete the load with nothing lost.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int Trainees = 40;
    private const int Events = 600;

    [Fact]
    public async Task Ingestion_survives_a_PostgreSQL_restart_with_nothing_lost()
    {
        await using var postgres = await PostgresServer.StartOwnAsync();
        var settings = SiloUnderTest.DurableConfiguration(await postgres.CreateDatabaseAsync("pg_restart"), "pg-restart");
        var database = settings["ConnectionStrings:Coaching"]!;
        await using var api = new CoachingApi(settings);
        var admin = api.Admin();
        for (var t = 0; t < Trainees; t++)
        {
            await (await admin.PutJson($"/v1/users/pr-t{t}", new { displayName = $"T{t}" })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson("/v1/users/pr-coach", new { displayName = "Coach" })).Expect(HttpStatusCode.OK);
        await (await admin.PutJson("/v1/groups/pr-coaches", new { displayName = "Coaches", members = new[] { "pr-coach" } })).Expect(HttpStatusCode.OK);
        await (await admin.PostJson("/v1/opportunities", new
        {
            name = "Every reassignment", active = true, sourceTable = "incident", traineeField = "assigned_to", coachGroup = "pr-coaches",
            moment = new { field = "assigned_to", @operator = "changes" }, randomSamplePercent = 100, assessmentDuration = "P5D",
            closeOnExpiry = true, preventDuplicates = false, completion = "coach",
        })).Expect(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var integration = api.Integration();
        var answers = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentDictionary<string, int>();
        var next = -1;

        async Task Worker()
        {
            for (var k = Interlocked.Increment(ref next); k < Events; k = Interlocked.Increment(ref next))
            {
                var body = new
                {
                    eventId = $"pr-{k}", table = "incident", recordId = $"INC{k}", occurredAt = "2026-11-20T10:00:00Z",
                    fields = new { assigned_to = $"pr-t{k % Trainees}" }, previous = new { assigned_to = "someone-else" },
                };
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 200, $"event pr-{k} never got an answer");
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    try
                    {
                        using var response = await integration.PostAsync("/v1/events",
                            new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"), timeout.Token);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outcomes")[0];
                            Assert.Equal("created", outcome.GetProperty("outcome").GetString());
                            answers[$"pr-{k}"] = outcome.GetProperty("assessmentId").GetString()!;
                            break;
                        }

                        failures.AddOrUpdate($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}", 1, (_, c) => c + 1);
                    }
                    catch (OperationCanceledException)
                    {
                        failures.AddOrUpdate("hang", 1, (_, c) => c + 1);
                    }

                    await Task.Delay(200);
                }
            }
        }

        var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(Worker)).ToList();
        while (Volatile.Read(ref next) < Events / 3)
        {
            await Task.Delay(50);
        }

        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await postgres.StartAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"{answers.Count} events answered; refused on the way: " + string.Join(", ", failures.Select(f => $"{f.Key} × {f.Value}")));
        Assert.Equal(Events, answers.Count);
        Assert.NotEmpty(failures);
        Assert.All(failures.Keys, f => Assert.Equal("503 application/problem+json", f));

        var expected = answers.Values.ToHashSet();
        Assert.Equal(Events, expected.Count);
        // This test process's own pooled connections to the database were opened before the restart.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_grain_state WHERE state_name = 'assessment'", connection);
        Assert.Equal((long)Events, (long)(await count.ExecuteScalarAsync())!);
        foreach (var id in expected.Take(50))
        {
            await (await admin.GetAsync($"/v1/assessments/{id}")).Expect(HttpStatusCode.OK);
        }
    }
}

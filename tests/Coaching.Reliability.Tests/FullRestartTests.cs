using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Coaching.Reliability.Tests.Harness;
using Coaching.Testing;
using Xunit.Abstractions;

namespace Coaching.Reliability.Tests;

/// <summary>
/// Every process of the cluster stopped while assessments and suggested sessions await their expiry, started again
/// only after they are due: the reminders fire on the new processes, everything due expires within two minutes,
/// and state that was not due is exactly as it was.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class FullRestartTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Expiring = 20;
    private const int Kept = 5;
    private static readonly TimeSpan DueIn = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan ExpiryBudget = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Assessments_and_sessions_due_while_everything_was_down_expire_within_two_minutes_of_the_restart()
    {
        var clock = Stopwatch.StartNew();
        var database = await postgres.CreateDatabaseAsync("full_restart");
        using var cluster = new ProcessCluster(database, "restart-" + Guid.NewGuid().ToString("N")[..8], TimeSpan.FromSeconds(5));
        output.WriteLine($"logs: {cluster.LogFolder}");
        try
        {
            await cluster.StartAllAsync();
            using var admin = cluster.Admin();
            using var supervisor = cluster.Client("rr-sup", ["supervisor"], ["suggestions.view", "suggestions.create"]);
            var trainees = Enumerable.Range(0, Expiring + Kept).Select(i => $"rr-t{i:D2}").ToArray();
            await Seeding.PutUsersAsync(admin, [.. trainees, "rr-sup", "rr-prev", "rr-coach", "rr-coach2"]);
            await Seeding.PutGroupAsync(admin, "rr-coaches", ["rr-coach", "rr-coach2"]);
            await (await admin.PutJson("/v1/coaching-areas/rr-empathy", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
            var shortLived = await Seeding.CreateOpportunityAsync(admin, "rr-short", "rr-coaches", $"PT{(int)DueIn.TotalSeconds}S", closeOnExpiry: true);
            var longLived = await Seeding.CreateOpportunityAsync(admin, "rr-long", "rr-coaches", "P5D", closeOnExpiry: true);

            using var integration = cluster.Integration();
            var expiringAssessments = new List<string>();
            var keptAssessments = new List<string>();
            for (var i = 0; i < trainees.Length; i++)
            {
                var table = i < Expiring ? "rr-short" : "rr-long";
                var answer = await (await integration.PostJson("/v1/events", Seeding.Event($"rr-evt-{i}", table, trainees[i], reassigned: true, "rr-prev"))).Expect(HttpStatusCode.OK);
                var outcome = answer.GetProperty("outcomes")[0];
                Assert.Equal("created", outcome.GetProperty("outcome").GetString());
                Assert.Equal(i < Expiring ? shortLived : longLived, outcome.GetProperty("opportunityId").GetString());
                (i < Expiring ? expiringAssessments : keptAssessments).Add(outcome.GetProperty("assessmentId").GetString()!);
            }

            var sessionsDueAt = DateTimeOffset.UtcNow + DueIn;
            var expiringSessions = new List<string>();
            var keptSessions = new List<string>();
            for (var i = 0; i < Expiring + Kept; i++)
            {
                var created = await (await supervisor.PostJson("/v1/sessions", new
                {
                    title = $"Empathy on escalations {i}",
                    coach = new { type = "group", id = "rr-coaches" },
                    trainees = new object[] { new { type = "user", id = trainees[i] } },
                    coachingArea = "rr-empathy",
                    expiresAt = i < Expiring ? sessionsDueAt : DateTimeOffset.UtcNow.AddDays(2),
                    referenceCases = new[] { $"CASE-{i}" },
                })).Expect(HttpStatusCode.Created);
                (i < Expiring ? expiringSessions : keptSessions).Add(created.GetProperty("id").GetString()!);
            }

            var before = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var id in expiringAssessments.Concat(keptAssessments))
            {
                before[id] = await (await admin.GetAsync(new Uri($"/v1/assessments/{id}", UriKind.Relative))).Expect(HttpStatusCode.OK);
                Assert.Equal("New", before[id].GetProperty("state").GetString());
            }

            foreach (var id in expiringSessions.Concat(keptSessions))
            {
                before[id] = await (await supervisor.GetAsync(new Uri($"/v1/sessions/{id}", UriKind.Relative))).Expect(HttpStatusCode.OK);
                Assert.Equal("Suggested", before[id].GetProperty("state").GetString());
            }

            var opportunitiesBefore = await (await admin.GetAsync(new Uri("/v1/opportunities", UriKind.Relative))).Expect(HttpStatusCode.OK);
            var dueAt = expiringAssessments.Select(id => before[id].GetProperty("dueAt").GetDateTimeOffset()).Append(sessionsDueAt).Max();
            var firstDue = expiringAssessments.Select(id => before[id].GetProperty("dueAt").GetDateTimeOffset()).Append(sessionsDueAt).Min();

            await cluster.StopAllAsync(TimeSpan.FromSeconds(30));
            var stoppedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"all stopped at {clock.Elapsed.TotalSeconds:F1} s; first due in {(firstDue - stoppedAt).TotalSeconds:F1} s");
            Assert.True(stoppedAt < firstDue, $"everything must be down before the first expiry; stopped {stoppedAt:O}, first due {firstDue:O}");

            var wait = dueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var restartedAt = Stopwatch.StartNew();
            await cluster.StartAllAsync();
            output.WriteLine($"ready again {restartedAt.Elapsed.TotalSeconds:F1} s after the start");

            var pending = expiringAssessments.Concat(expiringSessions).ToHashSet(StringComparer.Ordinal);
            var after = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var lastSeen = new Dictionary<string, string>(StringComparer.Ordinal);
            while (pending.Count > 0 && restartedAt.Elapsed < ExpiryBudget)
            {
                foreach (var id in pending.ToList())
                {
                    var isSession = expiringSessions.Contains(id);
                    using var response = await (isSession ? supervisor : admin).GetAsync(new Uri(isSession ? $"/v1/sessions/{id}" : $"/v1/assessments/{id}", UriKind.Relative));
                    if (!response.IsSuccessStatusCode)
                    {
                        lastSeen[id] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                        continue;
                    }

                    var body = await response.Expect(HttpStatusCode.OK);
                    lastSeen[id] = $"200 state {body.GetProperty("state").GetString()}";
                    if (body.GetProperty("state").GetString() is "ClosedComplete" or "Canceled")
                    {
                        after[id] = body;
                        pending.Remove(id);
                    }
                }

                await Task.Delay(1000);
            }

            var expiredWithin = restartedAt.Elapsed;
            var rows = pending.Count > 0 ? await SiloKilledUnderLoadTests.RowsMentioningAsync(database, pending.Take(5)) : "";
            Assert.True(pending.Count == 0, $"{pending.Count} not expired {ExpiryBudget} after the restart: {string.Join(", ", pending.Take(5).Select(id => $"{id} (last answer: {lastSeen.GetValueOrDefault(id, "none")})"))}\n{rows}\n{cluster.Diagnostics()}");

            foreach (var id in expiringAssessments)
            {
                Assert.Equal("expired", after[id].GetProperty("closeReason").GetString());
                var history = after[id].GetProperty("history").EnumerateArray().ToList();
                Assert.Equal(before[id].GetProperty("history").GetArrayLength() + 1, history.Count);
                Assert.Equal("expired", history[^1].GetProperty("action").GetString());
                AssertSameExcept(before[id], after[id], "state", "closeReason", "history", "overdue");
            }

            foreach (var id in expiringSessions)
            {
                Assert.Equal("Canceled", after[id].GetProperty("state").GetString());
                Assert.Equal("expired", after[id].GetProperty("canceledBy").GetString());
                AssertSameExcept(before[id], after[id], "state", "canceledBy", "cancelReason", "history");
            }

            // Nothing that was not due changed, nor the opportunities.
            foreach (var id in keptAssessments)
            {
                AssertSameExcept(before[id], await (await admin.GetAsync(new Uri($"/v1/assessments/{id}", UriKind.Relative))).Expect(HttpStatusCode.OK));
            }

            foreach (var id in keptSessions)
            {
                AssertSameExcept(before[id], await (await supervisor.GetAsync(new Uri($"/v1/sessions/{id}", UriKind.Relative))).Expect(HttpStatusCode.OK));
            }

            var opportunitiesAfter = await (await admin.GetAsync(new Uri("/v1/opportunities", UriKind.Relative))).Expect(HttpStatusCode.OK);
            Assert.Equal(opportunitiesBefore.GetRawText(), opportunitiesAfter.GetRawText());

            var summary = $"expiringAssessments={expiringAssessments.Count} expiringSessions={expiringSessions.Count} keptAssessments={keptAssessments.Count} " +
                $"keptSessions={keptSessions.Count} allExpiredSecondsAfterStart={expiredWithin.TotalSeconds:F1} totalSeconds={clock.Elapsed.TotalSeconds:F1}";
            output.WriteLine(summary);
            await RunResults.AppendAsync("full-restart", summary);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{cluster.Diagnostics()}", e);
        }
        finally
        {
            await SiloKilledUnderLoadTests.StopQuietlyAsync(cluster);
        }
    }

    private static void AssertSameExcept(JsonElement before, JsonElement after, params string[] changed)
    {
        foreach (var property in before.EnumerateObject().Where(p => !changed.Contains(p.Name, StringComparer.Ordinal)))
        {
            Assert.True(after.TryGetProperty(property.Name, out var now), $"{property.Name} is gone");
            Assert.True(property.Value.GetRawText() == now.GetRawText(), $"{property.Name}: before {property.Value.GetRawText()}, after {now.GetRawText()}");
        }
    }
}

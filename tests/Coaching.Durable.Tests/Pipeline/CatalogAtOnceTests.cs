using System.Net;
using Coaching.Testing;

namespace Coaching.Durable.Tests.Pipeline;

/// <summary>Issue 15: an opportunity write that has answered is applied by every silo's intake to the next event.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CatalogAtOnceTests(PostgresServer postgres)
{
    private const int Rounds = 200;

    [Fact]
    public async Task Two_silos_each_event_sent_at_once_after_a_save_or_deactivation_through_the_other_host_reflects_it_200_of_200()
    {
        var database = await postgres.CreateDatabaseAsync("catalog_at_once");
        await using var first = new CoachingApi(RequestBudget.Lift(SiloUnderTest.DurableConfiguration(database, "at-once")));
        await using var second = new CoachingApi(RequestBudget.Lift(SiloUnderTest.DurableConfiguration(database, "at-once")));
        var hosts = new[] { first, second };
        // The factories start their hosts on first use: both run before either is asked about the other.
        Assert.All(hosts, host => Assert.NotNull(host.Services));
        foreach (var host in hosts)
        {
            Assert.True(await SiloUnderTest.EventuallyAsync(() => Task.FromResult(SiloUnderTest.ActiveSilos(host.Services) == 2), TimeSpan.FromSeconds(30)), "the two hosts never formed one cluster");
        }

        var admin = first.Admin();
        foreach (var user in new[] { "d-u17", "d-coach" })
        {
            await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK);
        }

        await (await admin.PutJson("/v1/groups/d-coaches", new { displayName = "Coaches", members = new[] { "d-coach" } })).Expect(HttpStatusCode.OK);
        var id = (await (await admin.PostJson("/v1/opportunities", Tagged("t-start"))).Expect(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await (await admin.PostAsync($"/v1/opportunities/{id}/deactivate", null)).Expect(HttpStatusCode.OK);
        // Both silos' intake workers are active, holding a catalog, before the writes under test start.
        foreach (var host in hosts)
        {
            var warm = await (await host.Integration().PostJson("/v1/events", Event("evt-warm-" + Array.IndexOf(hosts, host), "t-start"))).Expect(HttpStatusCode.OK);
            Assert.Equal(0, warm.GetProperty("outcomes").GetArrayLength());
        }

        // Even rounds save a new moment (active) that only this round's tag matches: the catalog before the write
        // matches nothing. Odd rounds deactivate it and send the tag it matched: the catalog before the write matches.
        // Writes alternate between the hosts every two rounds; each event goes through the other host.
        var wrong = new List<string>();
        var tag = "";
        for (var round = 0; round < Rounds; round++)
        {
            var writer = hosts[round / 2 % 2].Admin();
            var sender = hosts[1 - (round / 2 % 2)].Integration();
            var saving = round % 2 == 0;
            if (saving)
            {
                tag = $"t-{round}";
                await (await writer.PutJson($"/v1/opportunities/{id}", Tagged(tag))).Expect(HttpStatusCode.OK);
            }
            else
            {
                await (await writer.PostAsync($"/v1/opportunities/{id}/deactivate", null)).Expect(HttpStatusCode.OK);
            }

            var answer = await (await sender.PostJson("/v1/events", Event($"evt-{round}", tag))).Expect(HttpStatusCode.OK);
            var outcomes = answer.GetProperty("outcomes");
            var reflects = saving
                ? outcomes.GetArrayLength() == 1
                    && outcomes[0].GetProperty("opportunityId").GetString() == id
                    && outcomes[0].GetProperty("outcome").GetString() == "created"
                : outcomes.GetArrayLength() == 0;
            if (!reflects)
            {
                wrong.Add($"round {round} ({(saving ? "save" : "deactivate")}): {outcomes.GetRawText()}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Rounds} answers missed the write:\n{string.Join('\n', wrong)}");
    }

    private static object Tagged(string tag) => new
    {
        name = "At once",
        sourceTable = "d-incident",
        traineeField = "assigned_to",
        coachGroup = "d-coaches",
        moment = new { all = new object[] { new { field = "tag", @operator = "is", value = tag } } },
        randomSamplePercent = 100,
        assessmentDuration = "P5D",
    };

    private static object Event(string eventId, string tag) => new
    {
        eventId,
        table = "d-incident",
        recordId = "INC-" + eventId,
        occurredAt = "2026-11-20T10:00:00Z",
        fields = new { assigned_to = "d-u17", tag },
        previous = new { },
    };
}

using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Durable.Tests.Pipeline;

/// <summary>The pipeline on PostgreSQL: what an acknowledged event decided survives a restart of the host.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PipelineDurabilityTests(PostgresServer postgres)
{
    [Fact]
    public async Task Opportunities_decisions_answers_duplicate_windows_and_assessment_lists_survive_a_restart()
    {
        var database = await postgres.CreateDatabaseAsync("pipeline_restart");
        string opportunity;
        string firstAnswer;
        string firstAssessment;
        Dictionary<string, string> listsBefore;

        await using (var api = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "pipeline")))
        {
            var admin = api.Admin();
            foreach (var user in new[] { "d-u17", "d-u42", "d-u18", "d-coach", "d-coach-2" })
            {
                await (await admin.PutJson($"/v1/users/{user}", new { displayName = user })).Expect(HttpStatusCode.OK);
            }

            await (await admin.PutJson("/v1/groups/d-coaches", new { displayName = "Coaches", members = Coaches })).Expect(HttpStatusCode.OK);
            var created = await (await admin.PostJson("/v1/opportunities", Opportunity())).Expect(HttpStatusCode.Created);
            opportunity = created.GetProperty("id").GetString()!;
            Assert.Equal("COP0000001", opportunity);

            var response = await api.Integration().PostJson("/v1/events", Reassignment("evt-d-1", "d-u17"));
            firstAnswer = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var outcome = JsonDocument.Parse(firstAnswer).RootElement.GetProperty("outcomes")[0];
            Assert.Equal("created", outcome.GetProperty("outcome").GetString());
            firstAssessment = outcome.GetProperty("assessmentId").GetString()!;

            // Handed to the other coach and started: it leaves the first coach's list and changes in every other.
            var assessment = await (await admin.GetAsync($"/v1/assessments/{firstAssessment}")).Expect(HttpStatusCode.OK);
            var firstCoach = assessment.GetProperty("coach").GetString()!;
            var otherCoach = Coaches.Single(c => c != firstCoach);
            await (await admin.PostJson($"/v1/assessments/{firstAssessment}/reassign", new { coach = otherCoach })).Expect(HttpStatusCode.OK);
            await (await api.As(otherCoach, ["coach"]).PostAsync($"/v1/assessments/{firstAssessment}/start", null)).Expect(HttpStatusCode.OK);
            listsBefore = await Lists(admin);
            Assert.Equal(0, Items(listsBefore[$"/v1/coaches/{firstCoach}/assessments"]).GetArrayLength());
            var line = Items(listsBefore[$"/v1/coaches/{otherCoach}/assessments"]).EnumerateArray().Single();
            Assert.Equal((firstAssessment, "InProgress"), (line.GetProperty("id").GetString(), line.GetProperty("state").GetString()));
            Assert.Equal(1, Items(listsBefore["/v1/coach-groups/d-coaches/assessments"]).GetArrayLength());
            Assert.Equal(1, Items(listsBefore["/v1/trainees/d-u17/assessments"]).GetArrayLength());
        }

        await using (var api = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "pipeline")))
        {
            var admin = api.Admin();
            // The lists are read back from their stored lines before anything touches the assessment again.
            Assert.Equal(listsBefore, await Lists(admin));

            var read = await (await admin.GetAsync($"/v1/opportunities/{opportunity}")).Expect(HttpStatusCode.OK);
            Assert.Equal(1, read.GetProperty("version").GetInt32());
            Assert.Equal("""{"any":[{"field":"assigned_to","operator":"changes"},{"all":[{"field":"state","operator":"changes_to","value":"7"},{"field":"priority","operator":"less_than","value":3}]}]}""",
                read.GetProperty("moment").GetRawText());
            Assert.Equal("PT1H", read.GetProperty("duplicateWindow").GetString());
            Assert.Equal("Tip", read.GetProperty("recommendedLearnings")[0].GetProperty("title").GetString());

            // Numbering carries on after the restart.
            var next = await (await admin.PostJson("/v1/opportunities", Opportunity(table: "d-case"))).Expect(HttpStatusCode.Created);
            Assert.Equal("COP0000002", next.GetProperty("id").GetString());

            var integration = api.Integration();
            var replay = await integration.PostJson("/v1/events", Reassignment("evt-d-1", "d-u17"));
            Assert.Equal(firstAnswer, await replay.Content.ReadAsStringAsync());

            var duplicate = await (await integration.PostJson("/v1/events", Reassignment("evt-d-2", "d-u17"))).Expect(HttpStatusCode.OK);
            Assert.Equal("suppressed-duplicate", duplicate.GetProperty("outcomes")[0].GetProperty("outcome").GetString());

            var other = await (await integration.PostJson("/v1/events", Reassignment("evt-d-3", "d-u18"))).Expect(HttpStatusCode.OK);
            var otherOutcome = other.GetProperty("outcomes")[0];
            Assert.Equal("created", otherOutcome.GetProperty("outcome").GetString());
            Assert.NotEqual(firstAssessment, otherOutcome.GetProperty("assessmentId").GetString());
        }

        // The decisions are rows of our own state names; the first answers, rows of their own table.
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand(
            "SELECT state_name, count(*) FROM orleans_grain_state WHERE state_name IN ('trainee', 'opportunity', 'opportunity-catalog') GROUP BY state_name " +
            "UNION ALL SELECT 'event answers', count(*) FROM coaching_event_answers " +
            "UNION ALL SELECT 'queue lines', count(line) FROM coaching_assessment_lines " +
            "UNION ALL SELECT 'queue removals', count(*) - count(line) FROM coaching_assessment_lines " +
            "UNION ALL SELECT 'queue states', count(*) FROM orleans_grain_state WHERE state_name = 'assessment-queue'", connection);
        var rows = new Dictionary<string, long>();
        await using (var reader = await count.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        Assert.Equal(3, rows["event answers"]);
        // Two assessments, each on its trainee's, its coach's and the group's list; the first also left one coach's.
        Assert.Equal(6, rows["queue lines"]);
        Assert.Equal(1, rows["queue removals"]);
        Assert.Equal(0, rows["queue states"]);
        Assert.Equal(2, rows["opportunity"]);
        Assert.Equal(1, rows["opportunity-catalog"]);
        Assert.True(rows["trainee"] >= 2, $"trainee rows: {rows.GetValueOrDefault("trainee")}");
    }

    private static readonly string[] Coaches = ["d-coach", "d-coach-2"];

    /// <summary>Every list the first assessment is (or was) on, as the API answers them.</summary>
    private static async Task<Dictionary<string, string>> Lists(HttpClient admin)
    {
        var lists = new Dictionary<string, string>();
        foreach (var path in Coaches.Select(c => $"/v1/coaches/{c}/assessments")
            .Append("/v1/coach-groups/d-coaches/assessments").Append("/v1/trainees/d-u17/assessments"))
        {
            lists[path] = (await (await admin.GetAsync(path)).Expect(HttpStatusCode.OK)).GetRawText();
        }

        return lists;
    }

    private static JsonElement Items(string list) => JsonDocument.Parse(list).RootElement.GetProperty("items");

    private static object Opportunity(string table = "d-incident") => new
    {
        name = "Durable reassignment",
        sourceTable = table,
        traineeField = "assigned_to",
        coachGroup = "d-coaches",
        moment = new
        {
            any = new object[]
            {
                new { field = "assigned_to", @operator = "changes" },
                new { all = new object[] { new { field = "state", @operator = "changes_to", value = "7" }, new { field = "priority", @operator = "less_than", value = 3 } } },
            },
        },
        snapshotFields = new[] { "resolution_code" },
        randomSamplePercent = 100,
        assessmentDuration = "P5D",
        preventDuplicates = true,
        duplicateWindow = "PT1H",
        recommendedLearnings = new[] { new { title = "Tip", url = "https://learn.example.test/tip" } },
    };

    private static object Reassignment(string eventId, string assignee) => new
    {
        eventId,
        table = "d-incident",
        recordId = "INC-" + eventId,
        occurredAt = "2026-11-20T10:00:00Z",
        fields = new { assigned_to = assignee, resolution_code = "fixed" },
        previous = new { assigned_to = "d-u42" },
    };
}

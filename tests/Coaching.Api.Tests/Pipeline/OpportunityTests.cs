using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests.Pipeline;

[Collection(ApiCollection.Name)]
public sealed class OpportunityTests(SharedApi api)
{
    [Fact]
    public async Task Opportunities_are_numbered_in_order_read_back_and_listed()
    {
        var seed = new SeedData(api, "op-num");
        await seed.Directory();
        var admin = api.Admin();

        var first = await admin.PostJson("/v1/opportunities", seed.Opportunity());
        var body = await first.Expect(HttpStatusCode.Created);
        var second = await (await admin.PostJson("/v1/opportunities", seed.Opportunity())).Expect(HttpStatusCode.Created);

        var id = body.GetProperty("id").GetString()!;
        Assert.Matches("^COP[0-9]{7}$", id);
        Assert.Equal(int.Parse(id[3..], System.Globalization.CultureInfo.InvariantCulture) + 1,
            int.Parse(second.GetProperty("id").GetString()![3..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"/v1/opportunities/{id}", first.Headers.Location?.OriginalString);

        var read = await (await admin.GetAsync($"/v1/opportunities/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, read.GetProperty("version").GetInt32());
        Assert.Equal("P5D", read.GetProperty("assessmentDuration").GetString());
        Assert.Equal("P1D", read.GetProperty("duplicateWindow").GetString());
        Assert.Equal("coach", read.GetProperty("completion").GetString());
        Assert.Equal("""{"all":[{"field":"assigned_to","operator":"changes"}]}""", read.GetProperty("moment").GetRawText());
        Assert.Equal(["resolution_code", "resolution_notes", "work_notes"], read.GetProperty("snapshotFields").EnumerateArray().Select(e => e.GetString()));

        var list = await (await admin.GetAsync("/v1/opportunities")).Expect(HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetString() == id);
        await (await admin.GetAsync("/v1/opportunities/COP9999999")).Expect(HttpStatusCode.NotFound, "not-found");
        await (await admin.GetAsync("/v1/opportunities/nonsense")).Expect(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_replaced_opportunity_gets_a_new_version_and_later_events_use_it()
    {
        var seed = new SeedData(api, "op-ver");
        await seed.Directory();
        var admin = api.Admin();
        var id = await seed.CreateOpportunity();

        var replaced = await (await admin.PutJson($"/v1/opportunities/{id}", seed.Opportunity(o =>
            o["moment"] = new { field = "priority", @operator = "greater_than", value = 3 }))).Expect(HttpStatusCode.OK);
        Assert.Equal(2, replaced.GetProperty("version").GetInt32());

        var reassigned = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-v-1"))).Expect(HttpStatusCode.OK);
        Assert.Empty(SeedData.Outcomes(reassigned));
        var urgent = await (await api.Integration().PostJson("/v1/events", new
        {
            eventId = "evt-v-2", table = seed.Table, recordId = "INC7", occurredAt = "2026-11-20T10:00:00Z",
            fields = new { assigned_to = seed.Trainee, priority = "10" },
        })).Expect(HttpStatusCode.OK);
        Assert.Equal("created", Assert.Single(SeedData.Outcomes(urgent)).Outcome);

        var deactivated = await (await admin.PostAsync($"/v1/opportunities/{id}/deactivate", null)).Expect(HttpStatusCode.OK);
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Equal(3, deactivated.GetProperty("version").GetInt32());
        var ignored = await (await api.Integration().PostJson("/v1/events", new
        {
            eventId = "evt-v-3", table = seed.Table, recordId = "INC8", occurredAt = "2026-11-20T10:00:00Z",
            fields = new { assigned_to = seed.AlwaysCoached, priority = 11 },
        })).Expect(HttpStatusCode.OK);
        Assert.Empty(SeedData.Outcomes(ignored));

        await (await admin.PutJson("/v1/opportunities/COP9999998", seed.Opportunity())).Expect(HttpStatusCode.NotFound, "not-found");
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "bad-operator", "invalid-condition" },
        { "bad-script", "invalid-script" },
        { "unknown-group", "unknown-group" },
        { "unknown-trainee-group", "unknown-group" },
        { "unknown-always-coach", "unknown-user" },
        { "unknown-survey", "unknown-survey" },
        { "empty-group", "invalid-condition" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Invalid_opportunities_are_refused_with_the_rule_code(string flaw, string code)
    {
        var seed = new SeedData(api, "op-bad");
        await seed.Directory();
        var body = seed.Opportunity(o =>
        {
            switch (flaw)
            {
                case "bad-operator": o["moment"] = new { all = new[] { new { field = "assigned_to", @operator = "sort_of_changes" } } }; break;
                case "bad-script": o["captureScript"] = "return { a: ;"; break;
                case "unknown-group": o["coachGroup"] = "op-bad-no-such-group"; break;
                case "unknown-trainee-group": o["traineeGroup"] = "op-bad-no-such-team"; break;
                case "unknown-always-coach": o["alwaysCoach"] = new[] { "op-bad-nobody" }; break;
                case "unknown-survey": o["coachSurvey"] = "op-bad-no-survey"; break;
                case "empty-group": o["moment"] = new { any = Array.Empty<object>() }; break;
            }
        });

        var problem = await (await api.Admin().PostJson("/v1/opportunities", body)).Expect(HttpStatusCode.UnprocessableEntity, code);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData(140)]
    [InlineData(-1)]
    public async Task A_sample_percent_outside_0_to_100_is_a_malformed_field(double percent)
    {
        var seed = new SeedData(api, "op-pct");
        await seed.Directory();
        var problem = await (await api.Admin().PostJson("/v1/opportunities", seed.Opportunity(o => o["randomSamplePercent"] = percent)))
            .Expect(HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(problem.GetProperty("errors").TryGetProperty("randomSamplePercent", out _));
    }

    [Fact]
    public async Task Missing_fields_and_bad_durations_are_malformed()
    {
        var seed = new SeedData(api, "op-mal");
        var problem = await (await api.Admin().PostJson("/v1/opportunities", seed.Opportunity(o =>
        {
            o["name"] = null;
            o["moment"] = null;
            o["assessmentDuration"] = "five days";
            o["duplicateWindow"] = null;
        }))).Expect(HttpStatusCode.BadRequest, "invalid-request");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "name", "moment", "assessmentDuration", "duplicateWindow" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not reported: {errors}");
        }
    }
}

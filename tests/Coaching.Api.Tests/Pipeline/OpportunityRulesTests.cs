using System.Globalization;
using System.Net;
using Coaching.Opportunities;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Coaching.Api.Tests.Pipeline;

/// <summary>The opportunity rules hold for every caller of the grain, not only for the HTTP endpoint.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpportunityRulesTests(SharedApi api)
{
    private IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task The_grain_refuses_a_draft_the_endpoint_would_refuse_and_saves_nothing()
    {
        var seed = new SeedData(api, "op-grain");
        await seed.Directory();
        var grain = Grains.GetGrain<IOpportunityGrain>("COP9999001");
        var draft = new OpportunityDraft
        {
            Name = "Direct",
            SourceTable = seed.Table,
            TraineeField = "assigned_to",
            CoachGroup = "op-grain-no-such-group",
            MomentJson = """{"field":"assigned_to","operator":"changes"}""",
        };

        var unknownGroup = await grain.Save(draft);
        var malformed = await grain.Save(draft with { CoachGroup = seed.CoachGroup, RandomSamplePercent = 140 });

        Assert.Null(unknownGroup.Saved);
        Assert.Equal(Refusal.Codes.UnknownGroup, unknownGroup.Refusal?.Code);
        Assert.Null(malformed.Saved);
        Assert.Equal(RefusalKind.InvalidRequest, malformed.Refusal?.Kind);
        Assert.Null(await grain.Get());

        var saved = await grain.Save(draft with { CoachGroup = seed.CoachGroup });
        Assert.Null(saved.Refusal);
        Assert.Equal(1, saved.Saved?.Version);
        Assert.Equal(TimeSpan.FromDays(5), saved.Saved?.Definition.AssessmentDuration);
    }

    [Fact]
    public async Task A_refused_creation_uses_up_no_number()
    {
        var seed = new SeedData(api, "op-gap");
        await seed.Directory();
        var admin = api.Admin();

        var first = await (await admin.PostJson("/v1/opportunities", seed.Opportunity())).Expect(HttpStatusCode.Created);
        await (await admin.PostJson("/v1/opportunities", seed.Opportunity(o => o["coachSurvey"] = "op-gap-no-survey")))
            .Expect(HttpStatusCode.UnprocessableEntity, "unknown-survey");
        var second = await (await admin.PostJson("/v1/opportunities", seed.Opportunity())).Expect(HttpStatusCode.Created);

        Assert.Equal(Number(first) + 1, Number(second));
    }

    private static int Number(System.Text.Json.JsonElement opportunity) =>
        int.Parse(opportunity.GetProperty("id").GetString()![3..], CultureInfo.InvariantCulture);
}

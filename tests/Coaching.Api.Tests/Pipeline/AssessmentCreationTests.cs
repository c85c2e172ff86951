using System.Net;
using Coaching.Assessments;
using Coaching.Pipeline;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Coaching.Api.Tests.Pipeline;

/// <summary>
/// What the pipeline hands to the assessment grain, read back through <see cref="IAssessmentGrain.Get"/>.
/// These need the assessment grain of issue 4: on a branch without it they fail (the pipeline records the
/// decision and keeps retrying the creation).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AssessmentCreationTests(SharedApi api)
{
    private const string Sender = "svc-integration";

    [Fact]
    public async Task The_seed_example_assessment_goes_to_a_coach_of_the_group_with_the_three_snapshot_values()
    {
        var seed = new SeedData(api, "ac-seed");
        await seed.Directory();
        var opportunity = await seed.CreateOpportunity();

        var answer = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-ac-1"))).Expect(HttpStatusCode.OK);
        var id = Assert.Single(SeedData.Outcomes(answer)).AssessmentId;
        Assert.Equal(AssessmentIds.For(opportunity, EventKeys.For(Sender, "evt-ac-1")), id);

        var assessment = await Eventually(id!);
        Assert.Equal(opportunity, assessment.OpportunityId);
        Assert.Equal(1, assessment.OpportunityVersion);
        Assert.Equal(seed.Trainee, assessment.TraineeId);
        Assert.Equal(seed.CoachGroup, assessment.CoachGroupId);
        Assert.Contains(assessment.CoachId, seed.Coaches);
        Assert.Equal(AssessmentState.New, assessment.State);
        Assert.Equal(new AssessmentSource(seed.Table, "INCevt-ac-1", "evt-ac-1"), assessment.Source);
        Assert.Equal("fixed", assessment.Snapshot["resolution_code"]);
        Assert.Equal("Restarted the service", assessment.Snapshot["resolution_notes"]);
        Assert.Equal("Checked the logs first", assessment.Snapshot["work_notes"]);
        Assert.Equal(3, assessment.Snapshot.Count);
        Assert.Null(assessment.ScriptError);
        Assert.Equal(TimeSpan.FromDays(5), assessment.DueAt - assessment.CreatedAt);
        Assert.Equal("Reassignment etiquette", Assert.Single(assessment.RecommendedLearnings).Title);

        // The replay creates nothing new: the same assessment, unchanged.
        await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-ac-1"))).Expect(HttpStatusCode.OK);
        Assert.Equal(assessment.CreatedAt, (await Grains.GetGrain<IAssessmentGrain>(id!).Get())!.CreatedAt);
    }

    [Fact]
    public async Task A_script_stopped_by_a_limit_leaves_its_error_on_the_assessment_and_a_good_script_its_values()
    {
        var seed = new SeedData(api, "ac-script");
        await seed.Directory();
        var looping = await seed.CreateOpportunity(o => o["captureScript"] = "while (true) { }");
        var recursing = await seed.CreateOpportunity(o => o["captureScript"] = "function f() { return f(); } return { x: f() };");
        var healthy = await seed.CreateOpportunity(o => o["captureScript"] = "return { reassigned: previous.assigned_to + ' -> ' + current.assigned_to, changed: changes.length };");

        var answer = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-ac-s"))).Expect(HttpStatusCode.OK);
        var ids = SeedData.Outcomes(answer).ToDictionary(o => o.OpportunityId, o => o.AssessmentId!);

        Assert.Contains("stopped", (await Eventually(ids[looping])).ScriptError, StringComparison.Ordinal);
        Assert.Contains("stopped", (await Eventually(ids[recursing])).ScriptError, StringComparison.Ordinal);
        var good = await Eventually(ids[healthy]);
        Assert.Null(good.ScriptError);
        Assert.Equal($"{seed.PreviousAssignee} -> {seed.Trainee}", good.Snapshot["reassigned"]);
        Assert.Equal("1", good.Snapshot["changed"]);
        Assert.Equal("fixed", good.Snapshot["resolution_code"]);
    }

    private IGrainFactory Grains => api.Services.GetRequiredService<IGrainFactory>();

    private async Task<Assessment> Eventually(string id)
    {
        Assessment? assessment = null;
        await SiloUnderTest.EventuallyAsync(async () => (assessment = await Grains.GetGrain<IAssessmentGrain>(id).Get()) is not null, TimeSpan.FromSeconds(10));
        Assert.NotNull(assessment);
        return assessment;
    }
}

/// <summary>Must-show 6 for assessments: on PostgreSQL, an assessment created from an event is still there after
/// a restart of the host, and the duplicate window still holds. Needs the assessment grain of issue 4.</summary>
public sealed class AssessmentDurabilityTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task An_assessment_and_its_duplicate_window_survive_a_restart_on_postgres()
    {
        var database = await postgres.CreateDatabaseAsync("assessment_restart");
        string assessmentId;
        string opportunity;
        await using (var api = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "assessments")))
        {
            var seed = new SeedData(api, "acd");
            await seed.Directory();
            opportunity = await seed.CreateOpportunity();
            var answer = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-acd-1"))).Expect(HttpStatusCode.OK);
            assessmentId = Assert.Single(SeedData.Outcomes(answer)).AssessmentId!;
            Assert.NotNull(await api.Services.GetRequiredService<IGrainFactory>().GetGrain<IAssessmentGrain>(assessmentId).Get());
        }

        await using (var api = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "assessments")))
        {
            var seed = new SeedData(api, "acd");
            var assessment = await api.Services.GetRequiredService<IGrainFactory>().GetGrain<IAssessmentGrain>(assessmentId).Get();
            Assert.NotNull(assessment);
            Assert.Equal(opportunity, assessment.OpportunityId);
            Assert.Equal("fixed", assessment.Snapshot["resolution_code"]);
            Assert.Contains(assessment.CoachId, seed.Coaches);

            var again = await (await api.Integration().PostJson("/v1/events", seed.Reassignment("evt-acd-2"))).Expect(HttpStatusCode.OK);
            Assert.Equal("suppressed-duplicate", Assert.Single(SeedData.Outcomes(again)).Outcome);
        }
    }
}

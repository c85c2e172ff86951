using System.Collections.Immutable;
using System.Text.Json;
using System.Xml;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.OpenApi;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Opportunities;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>Coaching opportunities (SPEC.md part A), for administrators.</summary>
public static class OpportunityEndpoints
{
    public sealed record LearningBody(string? Title, string? Url);

    public sealed record OpportunityBody(
        string? Name,
        string? Description,
        bool? Active,
        string? SourceTable,
        string? TraineeField,
        string? TraineeGroup,
        string? CoachGroup,
        JsonElement? Moment,
        List<string?>? SnapshotFields,
        string? CaptureScript,
        double? RandomSamplePercent,
        List<string?>? AlwaysCoach,
        string? AssessmentDuration,
        bool? CloseOnExpiry,
        bool? PreventDuplicates,
        string? DuplicateWindow,
        string? TraineeSurvey,
        string? CoachSurvey,
        string? ImprovementKpi,
        string? StrategicObjective,
        List<LearningBody?>? RecommendedLearnings,
        CompletionMode? Completion,
        List<LearningBody?>? VirtualCoachItems);

    /// <summary>An opportunity as the API shows it: durations in ISO 8601, the moment as JSON.</summary>
    public sealed record OpportunityView(
        string Id,
        int Version,
        string Name,
        string? Description,
        bool Active,
        string SourceTable,
        string TraineeField,
        string? TraineeGroup,
        string? CoachGroup,
        JsonElement Moment,
        ImmutableArray<string> SnapshotFields,
        string? CaptureScript,
        double RandomSamplePercent,
        ImmutableArray<string> AlwaysCoach,
        string AssessmentDuration,
        bool CloseOnExpiry,
        bool PreventDuplicates,
        string? DuplicateWindow,
        string? TraineeSurvey,
        string? CoachSurvey,
        string? ImprovementKpi,
        string? StrategicObjective,
        ImmutableArray<RecommendedLearning> RecommendedLearnings,
        CompletionMode Completion,
        ImmutableArray<RecommendedLearning> VirtualCoachItems,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt)
    {
        public static OpportunityView Of(Opportunity o)
        {
            var d = o.Definition;
            using var moment = JsonDocument.Parse(d.MomentJson);
            return new(o.Id, o.Version, d.Name, d.Description, d.Active, d.SourceTable, d.TraineeField, d.TraineeGroup, d.CoachGroup,
                moment.RootElement.Clone(), d.SnapshotFields, d.CaptureScript, d.RandomSamplePercent, d.AlwaysCoach,
                XmlConvert.ToString(d.AssessmentDuration), d.CloseOnExpiry, d.PreventDuplicates,
                d.PreventDuplicates ? XmlConvert.ToString(d.DuplicateWindow) : null,
                d.TraineeSurvey, d.CoachSurvey, d.ImprovementKpi, d.StrategicObjective, d.RecommendedLearnings, d.Completion,
                d.VirtualCoachItems, o.CreatedAt, o.UpdatedAt);
        }
    }

    public sealed record OpportunityList(ImmutableArray<OpportunityView> Items);

    public sealed record StatsView(
        string OpportunityId,
        long EventsMatched,
        IReadOnlyDictionary<string, long> Outcomes,
        IReadOnlyDictionary<string, long> AssessmentsByState,
        long Expired,
        long ScriptErrors,
        string? AverageTimeToResolve);

    public static IEndpointRouteBuilder MapOpportunities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/opportunities").WithTags("Opportunities")
            .RequireAuthorization(Policies.Admin).StandardProblems();
        group.MapPost("/", Create).WithName("CreateOpportunity").WithSummary("Create an opportunity (numbered COP0000001, ...).").Problems(422);
        group.MapGet("/", List).WithName("ListOpportunities");
        group.MapGet("/{id}", Get).WithName("GetOpportunity").Problems(404);
        group.MapPut("/{id}", Replace).WithName("ReplaceOpportunity").WithSummary("Replace an opportunity: a new version for later events.").Problems(404, 422);
        group.MapPost("/{id}/activate", (string id, IGrainFactory grains) => SetActive(id, true, grains)).WithName("ActivateOpportunity").Problems(404);
        group.MapPost("/{id}/deactivate", (string id, IGrainFactory grains) => SetActive(id, false, grains)).WithName("DeactivateOpportunity").Problems(404);
        group.MapGet("/{id}/stats", Stats).WithName("GetOpportunityStats").WithSummary("Events matched, each outcome's count and assessments by state, counted as each first answer and each transition is stored.").Problems(404);
        return app;
    }

    internal static async Task<Results<Created<OpportunityView>, ProblemHttpResult>> Create(OpportunityBody body, IGrainFactory grains)
    {
        var created = await OpportunityCreation.Create(grains, Draft(body));
        return created.Saved is { } saved
            ? TypedResults.Created($"/v1/opportunities/{saved.Id}", OpportunityView.Of(saved))
            : Problems.From(created.Refusal!);
    }

    internal static async Task<Results<Ok<OpportunityView>, ProblemHttpResult>> Replace(string id, OpportunityBody body, IGrainFactory grains)
    {
        if (!IsNumber(id) || await grains.GetGrain<IOpportunityGrain>(id).Get() is null)
        {
            return Problems.NotFound($"No opportunity '{id}'.");
        }

        var replaced = await grains.GetGrain<IOpportunityGrain>(id).Save(Draft(body));
        return replaced.Saved is { } saved ? TypedResults.Ok(OpportunityView.Of(saved)) : Problems.From(replaced.Refusal!);
    }

    internal static async Task<Ok<OpportunityList>> List(IGrainFactory grains) =>
        TypedResults.Ok(new OpportunityList([.. (await grains.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).List()).Select(OpportunityView.Of)]));

    internal static async Task<Results<Ok<OpportunityView>, ProblemHttpResult>> Get(string id, IGrainFactory grains) =>
        IsNumber(id) && await grains.GetGrain<IOpportunityGrain>(id).Get() is { } opportunity
            ? TypedResults.Ok(OpportunityView.Of(opportunity))
            : Problems.NotFound($"No opportunity '{id}'.");

    internal static async Task<Results<Ok<OpportunityView>, ProblemHttpResult>> SetActive(string id, bool active, IGrainFactory grains) =>
        IsNumber(id) && await grains.GetGrain<IOpportunityGrain>(id).SetActive(active) is { } opportunity
            ? TypedResults.Ok(OpportunityView.Of(opportunity))
            : Problems.NotFound($"No opportunity '{id}'.");

    internal static async Task<Results<Ok<StatsView>, ProblemHttpResult>> Stats(string id, IGrainFactory grains)
    {
        if (!IsNumber(id) || await grains.GetGrain<IOpportunityGrain>(id).Get() is null)
        {
            return Problems.NotFound($"No opportunity '{id}'.");
        }

        var s = await grains.GetGrain<IOpportunityStatsGrain>(id).Get();
        return TypedResults.Ok(new StatsView(
            s.OpportunityId,
            s.EventsMatched,
            EventOutcomes.WireNames.ToDictionary(n => n, n => EventOutcomes.TryParse(n, out var o) ? s.Outcomes.GetValueOrDefault(o.Value) : 0, StringComparer.Ordinal),
            Enum.GetValues<AssessmentState>().ToDictionary(state => state.ToString(), state => s.AssessmentsByState.GetValueOrDefault(state), StringComparer.Ordinal),
            s.Expired,
            s.ScriptErrors,
            s.AverageTimeToResolve is { } average ? XmlConvert.ToString(average) : null));
    }

    private static bool IsNumber(string id) =>
        id.Length == 10 && id.StartsWith(OpportunityCatalogGrain.NumberPrefix, StringComparison.Ordinal) && id.AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The request as the domain's command; every check and default is <see cref="OpportunityValidator"/>'s.</summary>
    private static OpportunityDraft Draft(OpportunityBody body) => new()
    {
        Name = body.Name,
        Description = body.Description,
        Active = body.Active,
        SourceTable = body.SourceTable,
        TraineeField = body.TraineeField,
        TraineeGroup = body.TraineeGroup,
        CoachGroup = body.CoachGroup,
        MomentJson = body.Moment?.GetRawText(),
        SnapshotFields = body.SnapshotFields?.ToImmutableArray(),
        CaptureScript = body.CaptureScript,
        RandomSamplePercent = body.RandomSamplePercent,
        AlwaysCoach = body.AlwaysCoach?.ToImmutableArray(),
        AssessmentDuration = body.AssessmentDuration,
        CloseOnExpiry = body.CloseOnExpiry,
        PreventDuplicates = body.PreventDuplicates,
        DuplicateWindow = body.DuplicateWindow,
        TraineeSurvey = body.TraineeSurvey,
        CoachSurvey = body.CoachSurvey,
        ImprovementKpi = body.ImprovementKpi,
        StrategicObjective = body.StrategicObjective,
        RecommendedLearnings = Learnings(body.RecommendedLearnings),
        Completion = body.Completion,
        VirtualCoachItems = Learnings(body.VirtualCoachItems),
    };

    private static ImmutableArray<LearningDraft?>? Learnings(List<LearningBody?>? items) =>
        items?.Select(l => l is null ? null : new LearningDraft(l.Title, l.Url)).ToImmutableArray();
}

using System.Collections.Immutable;
using System.Text.Json;
using System.Xml;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Roster;
using Coaching.Scripts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>Coaching opportunities (SPEC.md part A), for administrators.</summary>
public static class OpportunityEndpoints
{
    public const int MaxListItems = 100;
    public const int MaxCaptureScriptLength = 64 * 1024;

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

    private static async Task<Results<Created<OpportunityView>, ValidationProblem, ProblemHttpResult>> Create(OpportunityBody body, IGrainFactory grains)
    {
        var checkedBody = await Check(body, grains);
        if (checkedBody.Invalid is { } invalid)
        {
            return invalid;
        }

        if (checkedBody.Refused is { } refused)
        {
            return refused;
        }

        var id = await grains.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).Reserve();
        var saved = await grains.GetGrain<IOpportunityGrain>(id).Save(checkedBody.Definition!);
        return TypedResults.Created($"/v1/opportunities/{id}", OpportunityView.Of(saved));
    }

    private static async Task<Results<Ok<OpportunityView>, ValidationProblem, ProblemHttpResult>> Replace(string id, OpportunityBody body, IGrainFactory grains)
    {
        if (!IsNumber(id) || await grains.GetGrain<IOpportunityGrain>(id).Get() is null)
        {
            return Problems.NotFound($"No opportunity '{id}'.");
        }

        var checkedBody = await Check(body, grains);
        if (checkedBody.Invalid is { } invalid)
        {
            return invalid;
        }

        if (checkedBody.Refused is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(OpportunityView.Of(await grains.GetGrain<IOpportunityGrain>(id).Save(checkedBody.Definition!)));
    }

    private static async Task<Ok<OpportunityList>> List(IGrainFactory grains) =>
        TypedResults.Ok(new OpportunityList([.. (await grains.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).List()).Select(OpportunityView.Of)]));

    private static async Task<Results<Ok<OpportunityView>, ProblemHttpResult>> Get(string id, IGrainFactory grains) =>
        IsNumber(id) && await grains.GetGrain<IOpportunityGrain>(id).Get() is { } opportunity
            ? TypedResults.Ok(OpportunityView.Of(opportunity))
            : Problems.NotFound($"No opportunity '{id}'.");

    private static async Task<Results<Ok<OpportunityView>, ProblemHttpResult>> SetActive(string id, bool active, IGrainFactory grains) =>
        IsNumber(id) && await grains.GetGrain<IOpportunityGrain>(id).SetActive(active) is { } opportunity
            ? TypedResults.Ok(OpportunityView.Of(opportunity))
            : Problems.NotFound($"No opportunity '{id}'.");

    private static async Task<Results<Ok<StatsView>, ProblemHttpResult>> Stats(string id, IGrainFactory grains)
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

    private sealed record CheckedBody(OpportunityDefinition? Definition, ValidationProblem? Invalid, ProblemHttpResult? Refused);

    /// <summary>400 for malformed fields; then 422 for the moment, the script, and what must exist.</summary>
    private static async Task<CheckedBody> Check(OpportunityBody body, IGrainFactory grains)
    {
        var checks = new RequestChecks()
            .Required("name", body.Name)
            .Optional("description", body.Description)
            .Optional("improvementKpi", body.ImprovementKpi, TextRule.Name)
            .Optional("strategicObjective", body.StrategicObjective, TextRule.Name)
            .Id("sourceTable", body.SourceTable)
            .Required("traineeField", body.TraineeField, TextRule.Line(RequestChecks.MaxIdLength))
            .Optional("captureScript", body.CaptureScript, TextRule.MultiLine(MaxCaptureScriptLength));
        OptionalId(checks, "traineeGroup", body.TraineeGroup);
        OptionalId(checks, "traineeSurvey", body.TraineeSurvey);
        OptionalId(checks, "coachSurvey", body.CoachSurvey);
        var completion = body.Completion ?? CompletionMode.Coach;
        if (completion == CompletionMode.Coach || body.CoachGroup is not null)
        {
            checks.Id("coachGroup", body.CoachGroup);
        }

        if (body.Moment is not { ValueKind: JsonValueKind.Object })
        {
            checks.Fail("moment", "is required: a condition object.");
        }

        var percent = body.RandomSamplePercent ?? 100;
        if (!(percent >= 0 && percent <= 100))
        {
            checks.Fail("randomSamplePercent", "must be between 0 and 100.");
        }

        var duration = Duration(checks, "assessmentDuration", body.AssessmentDuration ?? "P5D");
        var preventDuplicates = body.PreventDuplicates ?? false;
        var window = TimeSpan.Zero;
        if (preventDuplicates)
        {
            window = body.DuplicateWindow is null ? Fail(checks, "duplicateWindow", "is required when preventDuplicates is true.") : Duration(checks, "duplicateWindow", body.DuplicateWindow);
        }
        else if (body.DuplicateWindow is not null)
        {
            Duration(checks, "duplicateWindow", body.DuplicateWindow);
        }

        var snapshotFields = Names(checks, "snapshotFields", body.SnapshotFields);
        var alwaysCoach = Ids(checks, "alwaysCoach", body.AlwaysCoach);
        var learnings = Learnings(checks, "recommendedLearnings", body.RecommendedLearnings);
        var virtualItems = Learnings(checks, "virtualCoachItems", body.VirtualCoachItems);
        if (!checks.Ok)
        {
            return new(null, Problems.Invalid(checks.Errors), null);
        }

        var moment = MomentParser.Parse(body.Moment!.Value);
        if (!moment.IsValid)
        {
            return new(null, null, TypedResults.Problem(
                string.Join(" ", moment.Problems.Select(p => $"{p.Path}: {p.Message}")),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The request was refused by a business rule.",
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = "invalid-condition",
                    ["problems"] = moment.Problems.Select(p => new { path = p.Path, message = p.Message }).ToArray(),
                }));
        }

        if (!string.IsNullOrWhiteSpace(body.CaptureScript) && CaptureScript.Compile(body.CaptureScript) is { Succeeded: false } compiled)
        {
            return new(null, null, Problems.Rule("invalid-script", compiled.Error));
        }

        string[] groups = [.. new[] { body.TraineeGroup, body.CoachGroup }.OfType<string>().Distinct(StringComparer.Ordinal)];
        var knownGroups = await Task.WhenAll(groups.Select(g => grains.GetGrain<IGroupGrain>(g).Get()));
        if (groups.Where((_, i) => knownGroups[i] is null).ToList() is { Count: > 0 } unknownGroups)
        {
            return new(null, null, Problems.Rule("unknown-group", $"Unknown groups: {string.Join(", ", unknownGroups)}."));
        }

        var knownUsers = await Task.WhenAll(alwaysCoach.Select(u => grains.GetGrain<IUserGrain>(u).Get()));
        if (alwaysCoach.Where((_, i) => knownUsers[i] is not { Deleted: false }).ToList() is { Count: > 0 } unknownUsers)
        {
            return new(null, null, Problems.Rule("unknown-user", $"Unknown users in alwaysCoach: {string.Join(", ", unknownUsers.Take(20))}."));
        }

        string[] surveys = [.. new[] { body.TraineeSurvey, body.CoachSurvey }.OfType<string>().Distinct(StringComparer.Ordinal)];
        var knownSurveys = await Task.WhenAll(surveys.Select(s => grains.GetGrain<ISurveyGrain>(s).Get()));
        if (surveys.Where((_, i) => knownSurveys[i] is null).ToList() is { Count: > 0 } unknownSurveys)
        {
            return new(null, null, Problems.Rule("unknown-survey", $"Unknown surveys: {string.Join(", ", unknownSurveys)}."));
        }

        var definition = new OpportunityDefinition
        {
            Name = body.Name!.Trim(),
            Description = body.Description,
            Active = body.Active ?? true,
            SourceTable = body.SourceTable!,
            TraineeField = body.TraineeField!.Trim(),
            TraineeGroup = body.TraineeGroup,
            CoachGroup = body.CoachGroup,
            MomentJson = MomentWriter.ToJson(moment.Condition!),
            SnapshotFields = snapshotFields,
            CaptureScript = string.IsNullOrWhiteSpace(body.CaptureScript) ? null : body.CaptureScript,
            RandomSamplePercent = percent,
            AlwaysCoach = alwaysCoach,
            AssessmentDuration = duration,
            CloseOnExpiry = body.CloseOnExpiry ?? true,
            PreventDuplicates = preventDuplicates,
            DuplicateWindow = window,
            TraineeSurvey = body.TraineeSurvey,
            CoachSurvey = body.CoachSurvey,
            ImprovementKpi = body.ImprovementKpi,
            StrategicObjective = body.StrategicObjective,
            RecommendedLearnings = learnings,
            Completion = completion,
            VirtualCoachItems = virtualItems,
        };
        return new(definition, null, null);
    }

    private static void OptionalId(RequestChecks checks, string field, string? value)
    {
        if (value is not null)
        {
            checks.Id(field, value);
        }
    }

    private static TimeSpan Fail(RequestChecks checks, string field, string message)
    {
        checks.Fail(field, message);
        return TimeSpan.Zero;
    }

    private static TimeSpan Duration(RequestChecks checks, string field, string text)
    {
        try
        {
            var value = XmlConvert.ToTimeSpan(text);
            return value > TimeSpan.Zero ? value : Fail(checks, field, "must be a positive ISO 8601 duration, e.g. P5D or PT12H.");
        }
        catch (FormatException)
        {
            return Fail(checks, field, "must be an ISO 8601 duration, e.g. P5D or PT12H.");
        }
        catch (OverflowException)
        {
            return Fail(checks, field, "is too long.");
        }
    }

    private static ImmutableArray<string> Names(RequestChecks checks, string field, List<string?>? values)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxListItems)
        {
            checks.Fail(field, $"must have at most {MaxListItems} entries.");
            return [];
        }

        for (var i = 0; i < values.Count; i++)
        {
            checks.Required($"{field}[{i}]", values[i], TextRule.Line(RequestChecks.MaxIdLength));
        }

        return [.. values.OfType<string>().Select(v => v.Trim()).Distinct(StringComparer.Ordinal)];
    }

    private static ImmutableArray<string> Ids(RequestChecks checks, string field, List<string?>? values)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > 1000)
        {
            checks.Fail(field, "must have at most 1000 entries.");
            return [];
        }

        for (var i = 0; i < values.Count; i++)
        {
            checks.Id($"{field}[{i}]", values[i]);
        }

        return [.. values.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private static ImmutableArray<RecommendedLearning> Learnings(RequestChecks checks, string field, List<LearningBody?>? values)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxListItems)
        {
            checks.Fail(field, $"must have at most {MaxListItems} entries.");
            return [];
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } item)
            {
                checks.Fail($"{field}[{i}]", "is required.");
                continue;
            }

            checks.Required($"{field}[{i}].title", item.Title).Optional($"{field}[{i}].url", item.Url, TextRule.Line(2048));
        }

        return [.. values.OfType<LearningBody>().Select(l => new RecommendedLearning(l.Title?.Trim() ?? "", l.Url))];
    }
}

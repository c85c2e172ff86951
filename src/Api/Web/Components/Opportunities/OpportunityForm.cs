using System.Xml;
using Coaching.Api.Endpoints;
using Coaching.Assessments;

namespace Coaching.Api.Web.Components.Opportunities;

/// <summary>A learning row of the form (recommended learnings, virtual coach items).</summary>
public sealed class LearningRow
{
    public string Title { get; set; } = "";

    public string Url { get; set; } = "";
}

/// <summary>
/// What the opportunity form holds, as typed: every field of API.md. It is turned into the API's
/// <see cref="OpportunityEndpoints.OpportunityBody"/> as is (lists split at commas or lines); the handler checks it.
/// </summary>
public sealed class OpportunityForm
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public bool Active { get; set; } = true;

    public string SourceTable { get; set; } = "";

    public string TraineeField { get; set; } = "";

    public string TraineeGroup { get; set; } = "";

    public string CoachGroup { get; set; } = "";

    public ConditionNode Moment { get; set; } = ConditionNode.NewGroup();

    public string SnapshotFields { get; set; } = "";

    public string CaptureScript { get; set; } = "";

    public double? RandomSamplePercent { get; set; } = 100;

    public string AlwaysCoach { get; set; } = "";

    public string AssessmentDuration { get; set; } = "P5D";

    public bool CloseOnExpiry { get; set; } = true;

    public bool PreventDuplicates { get; set; }

    public string DuplicateWindow { get; set; } = "";

    public string TraineeSurvey { get; set; } = "";

    public string CoachSurvey { get; set; } = "";

    public string ImprovementKpi { get; set; } = "";

    public string StrategicObjective { get; set; } = "";

    public List<LearningRow> RecommendedLearnings { get; } = [];

    public CompletionMode Completion { get; set; } = CompletionMode.Coach;

    public List<LearningRow> VirtualCoachItems { get; } = [];

    public static OpportunityForm Of(OpportunityEndpoints.OpportunityView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var form = new OpportunityForm
        {
            Name = view.Name,
            Description = view.Description ?? "",
            Active = view.Active,
            SourceTable = view.SourceTable,
            TraineeField = view.TraineeField,
            TraineeGroup = view.TraineeGroup ?? "",
            CoachGroup = view.CoachGroup ?? "",
            Moment = ConditionNode.RootOf(view.Moment),
            SnapshotFields = string.Join(", ", view.SnapshotFields),
            CaptureScript = view.CaptureScript ?? "",
            RandomSamplePercent = view.RandomSamplePercent,
            AlwaysCoach = string.Join(", ", view.AlwaysCoach),
            AssessmentDuration = view.AssessmentDuration,
            CloseOnExpiry = view.CloseOnExpiry,
            PreventDuplicates = view.PreventDuplicates,
            DuplicateWindow = view.DuplicateWindow ?? "",
            TraineeSurvey = view.TraineeSurvey ?? "",
            CoachSurvey = view.CoachSurvey ?? "",
            ImprovementKpi = view.ImprovementKpi ?? "",
            StrategicObjective = view.StrategicObjective ?? "",
            Completion = view.Completion,
        };
        form.RecommendedLearnings.AddRange(view.RecommendedLearnings.Select(l => new LearningRow { Title = l.Title, Url = l.Url ?? "" }));
        form.VirtualCoachItems.AddRange(view.VirtualCoachItems.Select(l => new LearningRow { Title = l.Title, Url = l.Url ?? "" }));
        return form;
    }

    /// <summary>The API's body for what is typed: empty optional texts are left out (null), lists split at commas and lines.</summary>
    public OpportunityEndpoints.OpportunityBody ToBody() => new(
        Name, Optional(Description), Active, SourceTable, TraineeField, Optional(TraineeGroup), Optional(CoachGroup), Moment.ToJson(),
        List(SnapshotFields), Optional(CaptureScript), RandomSamplePercent, List(AlwaysCoach), Optional(AssessmentDuration), CloseOnExpiry,
        PreventDuplicates, Optional(DuplicateWindow), Optional(TraineeSurvey), Optional(CoachSurvey), Optional(ImprovementKpi),
        Optional(StrategicObjective), Learnings(RecommendedLearnings), Completion, Learnings(VirtualCoachItems));

    /// <summary>An ISO 8601 duration in words ("5 days"), or null when it does not parse.</summary>
    public static string? InWords(string duration)
    {
        TimeSpan span;
        try
        {
            span = XmlConvert.ToTimeSpan(duration.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }

        var parts = new List<string>();
        void Add(int n, string unit)
        {
            if (n > 0)
            {
                parts.Add($"{n} {unit}{(n == 1 ? "" : "s")}");
            }
        }

        Add(span.Days, "day");
        Add(span.Hours, "hour");
        Add(span.Minutes, "minute");
        Add(span.Seconds, "second");
        return parts.Count == 0 ? "no time" : string.Join(", ", parts);
    }

    private static string? Optional(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static List<string?> List(string text) =>
        [.. text.Split([',', '\n', '\r'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<OpportunityEndpoints.LearningBody?> Learnings(List<LearningRow> rows) =>
        [.. rows.Select(r => (OpportunityEndpoints.LearningBody?)new OpportunityEndpoints.LearningBody(r.Title, Optional(r.Url)))];
}

using System.Collections.Immutable;
using System.Globalization;
using System.Xml;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Scripts;

namespace Coaching.Opportunities;

/// <summary>A checked draft: the definition to save (defaults filled in), or why it was refused.</summary>
public sealed record OpportunityCheck(OpportunityDefinition? Definition, Refusal? Refusal);

/// <summary>
/// The rules of an opportunity definition (SPEC A; codes of API.md), run by <see cref="OpportunityGrain.Save"/> for
/// every caller, so no path saves a definition that breaks them.
/// <para><b>Malformed fields</b> come first (<c>invalid-request</c>, 400, every failing field): texts by
/// <see cref="TextRule"/>, ids, a condition object for the moment, a sample percent from 0 to 100, positive ISO 8601
/// durations, a coach group when coaches complete the work, a duplicate window when duplicates are prevented, bounded
/// lists. Nothing else is checked until they pass.</para>
/// <para><b>Business rules</b> (422, all failures, in this precedence; the first is the response <c>code</c>):
/// <c>invalid-condition</c> (one reason per problem of the moment), <c>invalid-script</c>, <c>unknown-group</c>,
/// <c>unknown-user</c> (an <c>alwaysCoach</c> user unknown or deleted), <c>unknown-survey</c>. Existence is asked
/// through <see cref="IOpportunityReferences"/>, each name once.</para>
/// <para><b>Defaults</b>: active, 100 %, <c>P5D</c> to work an assessment, closed on expiry, duplicates allowed,
/// completed by a coach. Names and trainee field are trimmed; list entries are de-duplicated in order; the moment is
/// stored in the shape <see cref="MomentWriter"/> writes.</para>
/// </summary>
public static class OpportunityValidator
{
    public const int MaxListItems = 100;
    public const int MaxAlwaysCoach = 1000;
    public const int MaxCaptureScriptLength = 64 * 1024;
    public const int MaxUrlLength = 2048;

    /// <summary>At most this many unknown <c>alwaysCoach</c> users are named in a refusal.</summary>
    public const int MaxUnknownUsersNamed = 20;

    public const string DefaultAssessmentDuration = "P5D";

    private static readonly ImmutableArray<string> Precedence =
    [
        Refusal.Codes.InvalidCondition,
        Refusal.Codes.InvalidScript,
        Refusal.Codes.UnknownGroup,
        Refusal.Codes.UnknownUser,
        Refusal.Codes.UnknownSurvey,
    ];

    /// <summary>Every check, in order: the fields, then the rules. The definition to save when all pass.</summary>
    public static async Task<OpportunityCheck> Check(OpportunityDraft draft, IOpportunityReferences references)
    {
        ArgumentNullException.ThrowIfNull(references);
        var shaped = Shape(draft);
        if (shaped.Definition is not { } definition)
        {
            return shaped;
        }

        var failures = new List<RefusalReason>();
        var moment = MomentParser.Parse(definition.MomentJson);
        if (moment.IsValid)
        {
            definition = definition with { MomentJson = MomentWriter.ToJson(moment.Condition!) };
        }
        else
        {
            failures.AddRange(moment.Problems.Select(p => new RefusalReason(Refusal.Codes.InvalidCondition, $"{p.Path}: {p.Message}", p.Path)));
        }

        if (definition.CaptureScript is { } script && CaptureScript.Compile(script) is { Succeeded: false } compiled)
        {
            failures.Add(new RefusalReason(Refusal.Codes.InvalidScript, compiled.Error, "captureScript"));
        }

        failures.AddRange(await Unknown(definition, references));
        return failures.Count == 0
            ? new(definition, null)
            : new(null, Refusal.RuleViolation([.. failures.OrderBy(f => Precedence.IndexOf(f.Code))]));
    }

    /// <summary>The field checks and the defaults, without the moment's, the script's or the directory's rules.</summary>
    public static OpportunityCheck Shape(OpportunityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var fields = new Fields();
        fields.Text("name", draft.Name, TextRule.Name, required: true)
            .Text("description", draft.Description, TextRule.Text, required: false)
            .Text("improvementKpi", draft.ImprovementKpi, TextRule.Name, required: false)
            .Text("strategicObjective", draft.StrategicObjective, TextRule.Name, required: false)
            .Text("sourceTable", draft.SourceTable, TextRule.Id, required: true)
            .Text("traineeField", draft.TraineeField, TextRule.Line(TextRule.MaxIdLength), required: true)
            .Text("captureScript", draft.CaptureScript, TextRule.MultiLine(MaxCaptureScriptLength), required: false)
            .OptionalId("traineeGroup", draft.TraineeGroup)
            .OptionalId("traineeSurvey", draft.TraineeSurvey)
            .OptionalId("coachSurvey", draft.CoachSurvey);
        var completion = draft.Completion ?? CompletionMode.Coach;
        if (completion == CompletionMode.Coach || draft.CoachGroup is not null)
        {
            fields.Text("coachGroup", draft.CoachGroup, TextRule.Id, required: true);
        }

        if (draft.MomentJson is not { } momentJson || !momentJson.TrimStart().StartsWith('{'))
        {
            fields.Fail("moment", "is required: a condition object.");
        }

        var percent = draft.RandomSamplePercent ?? 100;
        if (!(percent >= 0 && percent <= 100))
        {
            fields.Fail("randomSamplePercent", "must be between 0 and 100.");
        }

        var duration = fields.Duration("assessmentDuration", draft.AssessmentDuration ?? DefaultAssessmentDuration);
        var preventDuplicates = draft.PreventDuplicates ?? false;
        var window = TimeSpan.Zero;
        if (preventDuplicates)
        {
            window = draft.DuplicateWindow is null
                ? fields.Fail("duplicateWindow", "is required when preventDuplicates is true.").NoDuration
                : fields.Duration("duplicateWindow", draft.DuplicateWindow);
        }
        else if (draft.DuplicateWindow is not null)
        {
            fields.Duration("duplicateWindow", draft.DuplicateWindow);
        }

        var snapshotFields = fields.Names("snapshotFields", draft.SnapshotFields);
        var alwaysCoach = fields.Ids("alwaysCoach", draft.AlwaysCoach);
        var learnings = fields.Learnings("recommendedLearnings", draft.RecommendedLearnings);
        var virtualItems = fields.Learnings("virtualCoachItems", draft.VirtualCoachItems);
        if (fields.Reasons.Count > 0)
        {
            return new(null, Refusal.InvalidRequest([.. fields.Reasons]));
        }

        return new(new OpportunityDefinition
        {
            Name = draft.Name!.Trim(),
            Description = draft.Description,
            Active = draft.Active ?? true,
            SourceTable = draft.SourceTable!,
            TraineeField = draft.TraineeField!.Trim(),
            TraineeGroup = draft.TraineeGroup,
            CoachGroup = draft.CoachGroup,
            MomentJson = draft.MomentJson!,
            SnapshotFields = snapshotFields,
            CaptureScript = string.IsNullOrWhiteSpace(draft.CaptureScript) ? null : draft.CaptureScript,
            RandomSamplePercent = percent,
            AlwaysCoach = alwaysCoach,
            AssessmentDuration = duration,
            CloseOnExpiry = draft.CloseOnExpiry ?? true,
            PreventDuplicates = preventDuplicates,
            DuplicateWindow = window,
            TraineeSurvey = draft.TraineeSurvey,
            CoachSurvey = draft.CoachSurvey,
            ImprovementKpi = draft.ImprovementKpi,
            StrategicObjective = draft.StrategicObjective,
            RecommendedLearnings = learnings,
            Completion = completion,
            VirtualCoachItems = virtualItems,
        }, null);
    }

    /// <summary>The groups, users and surveys the definition names that do not exist, each asked once, all at once.</summary>
    private static async Task<IEnumerable<RefusalReason>> Unknown(OpportunityDefinition d, IOpportunityReferences references)
    {
        var groups = new[] { ("traineeGroup", d.TraineeGroup), ("coachGroup", d.CoachGroup) }
            .Where(g => g.Item2 is not null).DistinctBy(g => g.Item2, StringComparer.Ordinal).ToList();
        var surveys = new[] { ("traineeSurvey", d.TraineeSurvey), ("coachSurvey", d.CoachSurvey) }
            .Where(s => s.Item2 is not null).DistinctBy(s => s.Item2, StringComparer.Ordinal).ToList();
        var knownGroups = Task.WhenAll(groups.Select(g => references.GroupExists(g.Item2!)));
        var knownUsers = Task.WhenAll(d.AlwaysCoach.Select(references.UserIsActive));
        var knownSurveys = Task.WhenAll(surveys.Select(s => references.SurveyExists(s.Item2!)));
        await Task.WhenAll(knownGroups, knownUsers, knownSurveys);

        var unknown = new List<RefusalReason>();
        unknown.AddRange(groups.Where((_, i) => !knownGroups.Result[i])
            .Select(g => new RefusalReason(Refusal.Codes.UnknownGroup, $"Unknown group '{g.Item2}' in {g.Item1}.", g.Item1)));
        unknown.AddRange(d.AlwaysCoach.Where((_, i) => !knownUsers.Result[i]).Take(MaxUnknownUsersNamed)
            .Select(u => new RefusalReason(Refusal.Codes.UnknownUser, $"Unknown or deleted user '{u}' in alwaysCoach.", "alwaysCoach")));
        unknown.AddRange(surveys.Where((_, i) => !knownSurveys.Result[i])
            .Select(s => new RefusalReason(Refusal.Codes.UnknownSurvey, $"Unknown survey '{s.Item2}' in {s.Item1}.", s.Item1)));
        return unknown;
    }

    /// <summary>Per-field problems, each an <c>invalid-request</c> reason naming its field.</summary>
    private sealed class Fields
    {
        public List<RefusalReason> Reasons { get; } = [];

        /// <summary>What a duration that failed its check reads as (never saved: the draft is refused).</summary>
        public TimeSpan NoDuration => TimeSpan.Zero;

        public Fields Fail(string field, string message)
        {
            Reasons.Add(new RefusalReason(Refusal.Codes.InvalidRequest, message, field));
            return this;
        }

        public Fields Text(string field, string? value, TextRule rule, bool required) =>
            rule.Check(value, required) is { } problem ? Fail(field, problem.Message) : this;

        public Fields OptionalId(string field, string? value) =>
            value is null ? this : Text(field, value, TextRule.Id, required: true);

        public TimeSpan Duration(string field, string text)
        {
            try
            {
                var value = XmlConvert.ToTimeSpan(text);
                return value > TimeSpan.Zero ? value : Fail(field, "must be a positive ISO 8601 duration, e.g. P5D or PT12H.").NoDuration;
            }
            catch (FormatException)
            {
                return Fail(field, "must be an ISO 8601 duration, e.g. P5D or PT12H.").NoDuration;
            }
            catch (OverflowException)
            {
                return Fail(field, "is too long.").NoDuration;
            }
        }

        public ImmutableArray<string> Names(string field, ImmutableArray<string?>? values)
        {
            if (!Within(field, values, MaxListItems))
            {
                return [];
            }

            var list = values!.Value;
            for (var i = 0; i < list.Length; i++)
            {
                Text(Item(field, i), list[i], TextRule.Line(TextRule.MaxIdLength), required: true);
            }

            return [.. list.OfType<string>().Select(v => v.Trim()).Distinct(StringComparer.Ordinal)];
        }

        public ImmutableArray<string> Ids(string field, ImmutableArray<string?>? values)
        {
            if (!Within(field, values, MaxAlwaysCoach))
            {
                return [];
            }

            var list = values!.Value;
            for (var i = 0; i < list.Length; i++)
            {
                Text(Item(field, i), list[i], TextRule.Id, required: true);
            }

            return [.. list.OfType<string>().Distinct(StringComparer.Ordinal)];
        }

        public ImmutableArray<RecommendedLearning> Learnings(string field, ImmutableArray<LearningDraft?>? values)
        {
            if (!Within(field, values, MaxListItems))
            {
                return [];
            }

            var list = values!.Value;
            for (var i = 0; i < list.Length; i++)
            {
                if (list[i] is not { } item)
                {
                    Fail(Item(field, i), "is required.");
                    continue;
                }

                Text($"{Item(field, i)}.title", item.Title, TextRule.Name, required: true)
                    .Text($"{Item(field, i)}.url", item.Url, TextRule.Line(MaxUrlLength), required: false);
            }

            return [.. list.OfType<LearningDraft>().Select(l => new RecommendedLearning(l.Title?.Trim() ?? "", l.Url))];
        }

        /// <summary>A missing list is empty; one longer than <paramref name="max"/> is a problem, its entries unchecked.</summary>
        private bool Within<T>(string field, ImmutableArray<T>? values, int max)
        {
            if (values is not { IsDefault: false } list)
            {
                return false;
            }

            if (list.Length > max)
            {
                Fail(field, string.Create(CultureInfo.InvariantCulture, $"must have at most {max} entries."));
                return false;
            }

            return true;
        }

        private static string Item(string field, int index) => string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]");
    }
}

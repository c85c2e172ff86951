using System.Collections.Concurrent;
using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Opportunities;

namespace Coaching.Domain.Tests.Opportunities;

public class OpportunityValidatorTests
{
    private const string Moment = """{"all":[{"field":"assigned_to","operator":"changes"}]}""";

    private static readonly OpportunityDraft Valid = new()
    {
        Name = "  Reassignment  ",
        SourceTable = "incident",
        TraineeField = "assigned_to",
        TraineeGroup = "team",
        CoachGroup = "coaches",
        MomentJson = Moment,
        AlwaysCoach = ["u-new"],
        TraineeSurvey = "trainee-survey",
        CoachSurvey = "coach-survey",
    };

    public static TheoryData<string, string, string?> RuleFlaws => new()
    {
        // flaw, code, field of the first reason
        { "bad-operator", Refusal.Codes.InvalidCondition, "moment.all[0].operator" },
        { "empty-group", Refusal.Codes.InvalidCondition, "moment.any" },
        { "not-json", Refusal.Codes.InvalidCondition, "moment" },
        { "bad-script", Refusal.Codes.InvalidScript, "captureScript" },
        { "unknown-coach-group", Refusal.Codes.UnknownGroup, "coachGroup" },
        { "unknown-trainee-group", Refusal.Codes.UnknownGroup, "traineeGroup" },
        { "unknown-always-coach", Refusal.Codes.UnknownUser, "alwaysCoach" },
        { "deleted-always-coach", Refusal.Codes.UnknownUser, "alwaysCoach" },
        { "unknown-coach-survey", Refusal.Codes.UnknownSurvey, "coachSurvey" },
        { "unknown-trainee-survey", Refusal.Codes.UnknownSurvey, "traineeSurvey" },
    };

    [Theory]
    [MemberData(nameof(RuleFlaws))]
    public async Task Each_business_rule_refuses_with_its_code(string flaw, string code, string? field)
    {
        var draft = flaw switch
        {
            "bad-operator" => Valid with { MomentJson = """{"all":[{"field":"assigned_to","operator":"sort_of_changes"}]}""" },
            "empty-group" => Valid with { MomentJson = """{"any":[]}""" },
            "not-json" => Valid with { MomentJson = "{ all: " },
            "bad-script" => Valid with { CaptureScript = "return { a: ;" },
            "unknown-coach-group" => Valid with { CoachGroup = "no-coaches" },
            "unknown-trainee-group" => Valid with { TraineeGroup = "no-team" },
            "unknown-always-coach" => Valid with { AlwaysCoach = ["u-new", "u-nobody"] },
            "deleted-always-coach" => Valid with { AlwaysCoach = ["u-gone"] },
            "unknown-coach-survey" => Valid with { CoachSurvey = "no-survey" },
            "unknown-trainee-survey" => Valid with { TraineeSurvey = "no-survey" },
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var check = await OpportunityValidator.Check(draft, new Directory());

        Assert.Null(check.Definition);
        var refusal = Assert.IsType<Refusal>(check.Refusal);
        Assert.Equal(RefusalKind.RuleViolation, refusal.Kind);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(field, refusal.Reasons[0].Field);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
    }

    [Fact]
    public async Task Every_broken_rule_is_reported_in_precedence_order()
    {
        var draft = Valid with
        {
            CoachSurvey = "no-survey",
            AlwaysCoach = ["u-nobody"],
            CoachGroup = "no-coaches",
            CaptureScript = "return { a: ;",
            MomentJson = """{"any":[]}""",
        };

        var refusal = (await OpportunityValidator.Check(draft, new Directory())).Refusal!;

        Assert.Equal(
            [Refusal.Codes.InvalidCondition, Refusal.Codes.InvalidScript, Refusal.Codes.UnknownGroup, Refusal.Codes.UnknownUser, Refusal.Codes.UnknownSurvey],
            refusal.Reasons.Select(r => r.Code).Distinct());
        Assert.Equal(Refusal.Codes.InvalidCondition, refusal.Code);
    }

    public static TheoryData<string, string> FieldFlaws => new()
    {
        // flaw, field named in the invalid-request refusal
        { "no-name", "name" },
        { "control-character-in-name", "name" },
        { "no-source-table", "sourceTable" },
        { "source-table-not-an-id", "sourceTable" },
        { "no-trainee-field", "traineeField" },
        { "no-coach-group-for-coach-completion", "coachGroup" },
        { "trainee-group-not-an-id", "traineeGroup" },
        { "survey-not-an-id", "coachSurvey" },
        { "no-moment", "moment" },
        { "moment-not-an-object", "moment" },
        { "percent-over-100", "randomSamplePercent" },
        { "percent-below-0", "randomSamplePercent" },
        { "percent-not-a-number", "randomSamplePercent" },
        { "duration-not-iso", "assessmentDuration" },
        { "duration-zero", "assessmentDuration" },
        { "duration-too-long", "assessmentDuration" },
        { "no-window-when-preventing", "duplicateWindow" },
        { "bad-window-when-not-preventing", "duplicateWindow" },
        { "blank-snapshot-field", "snapshotFields[1]" },
        { "too-many-snapshot-fields", "snapshotFields" },
        { "always-coach-not-an-id", "alwaysCoach[0]" },
        { "too-many-always-coach", "alwaysCoach" },
        { "missing-learning", "recommendedLearnings[0]" },
        { "learning-without-title", "recommendedLearnings[0].title" },
        { "virtual-item-url-multi-line", "virtualCoachItems[0].url" },
        { "script-too-long", "captureScript" },
    };

    [Theory]
    [MemberData(nameof(FieldFlaws))]
    public async Task A_malformed_field_is_an_invalid_request_naming_it(string flaw, string field)
    {
        var draft = flaw switch
        {
            "no-name" => Valid with { Name = " " },
            "control-character-in-name" => Valid with { Name = "a\0b" },
            "no-source-table" => Valid with { SourceTable = null },
            "source-table-not-an-id" => Valid with { SourceTable = "in cident" },
            "no-trainee-field" => Valid with { TraineeField = null },
            "no-coach-group-for-coach-completion" => Valid with { CoachGroup = null, Completion = CompletionMode.Coach },
            "trainee-group-not-an-id" => Valid with { TraineeGroup = "a/b" },
            "survey-not-an-id" => Valid with { CoachSurvey = "" },
            "no-moment" => Valid with { MomentJson = null },
            "moment-not-an-object" => Valid with { MomentJson = "[]" },
            "percent-over-100" => Valid with { RandomSamplePercent = 140 },
            "percent-below-0" => Valid with { RandomSamplePercent = -1 },
            "percent-not-a-number" => Valid with { RandomSamplePercent = double.NaN },
            "duration-not-iso" => Valid with { AssessmentDuration = "five days" },
            "duration-zero" => Valid with { AssessmentDuration = "PT0S" },
            "duration-too-long" => Valid with { AssessmentDuration = "P99999999999D" },
            "no-window-when-preventing" => Valid with { PreventDuplicates = true },
            "bad-window-when-not-preventing" => Valid with { PreventDuplicates = false, DuplicateWindow = "soon" },
            "blank-snapshot-field" => Valid with { SnapshotFields = ["a", null] },
            "too-many-snapshot-fields" => Valid with { SnapshotFields = [.. Enumerable.Range(0, OpportunityValidator.MaxListItems + 1).Select(i => (string?)$"f{i}")] },
            "always-coach-not-an-id" => Valid with { AlwaysCoach = ["u new"] },
            "too-many-always-coach" => Valid with { AlwaysCoach = [.. Enumerable.Range(0, OpportunityValidator.MaxAlwaysCoach + 1).Select(i => (string?)$"u{i}")] },
            "missing-learning" => Valid with { RecommendedLearnings = [null] },
            "learning-without-title" => Valid with { RecommendedLearnings = [new LearningDraft(null, "https://learn.example")] },
            "virtual-item-url-multi-line" => Valid with { Completion = CompletionMode.Virtual, VirtualCoachItems = [new LearningDraft("Read", "https://a\nb")] },
            "script-too-long" => Valid with { CaptureScript = new string('x', OpportunityValidator.MaxCaptureScriptLength + 1) },
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };
        var directory = new Directory();

        var check = await OpportunityValidator.Check(draft, directory);

        Assert.Null(check.Definition);
        var refusal = Assert.IsType<Refusal>(check.Refusal);
        Assert.Equal(RefusalKind.InvalidRequest, refusal.Kind);
        Assert.Equal(Refusal.Codes.InvalidRequest, refusal.Code);
        Assert.Contains(refusal.Reasons, r => r.Field == field);
        Assert.Empty(directory.Asked);
    }

    [Fact]
    public async Task Every_malformed_field_is_reported_at_once()
    {
        var draft = Valid with { Name = null, MomentJson = null, AssessmentDuration = "five days", PreventDuplicates = true };

        var refusal = (await OpportunityValidator.Check(draft, new Directory())).Refusal!;

        Assert.Equal(["assessmentDuration", "duplicateWindow", "moment", "name"], refusal.Reasons.Select(r => r.Field!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_valid_draft_gets_its_defaults()
    {
        var check = await OpportunityValidator.Check(new OpportunityDraft
        {
            Name = "  Reassignment ",
            SourceTable = "incident",
            TraineeField = " assigned_to ",
            CoachGroup = "coaches",
            MomentJson = """{ "field": "assigned_to", "operator": "changes" }""",
            CaptureScript = "   ",
            SnapshotFields = [" a", "a ", "b"],
            AlwaysCoach = ["u-new", "u-new"],
            RecommendedLearnings = [new LearningDraft(" Read ", null)],
        }, new Directory());

        Assert.Null(check.Refusal);
        var d = Assert.IsType<OpportunityDefinition>(check.Definition);
        Assert.Equal("Reassignment", d.Name);
        Assert.Equal("assigned_to", d.TraineeField);
        Assert.True(d.Active);
        Assert.Equal(100, d.RandomSamplePercent);
        Assert.Equal(TimeSpan.FromDays(5), d.AssessmentDuration);
        Assert.True(d.CloseOnExpiry);
        Assert.False(d.PreventDuplicates);
        Assert.Equal(TimeSpan.Zero, d.DuplicateWindow);
        Assert.Equal(CompletionMode.Coach, d.Completion);
        Assert.Null(d.CaptureScript);
        Assert.Equal(["a", "b"], d.SnapshotFields.ToArray());
        Assert.Equal(["u-new"], d.AlwaysCoach.ToArray());
        Assert.Equal("Read", Assert.Single(d.RecommendedLearnings).Title);
        // The moment is stored in the writer's shape, not as the client spaced it.
        Assert.Equal(MomentWriter.ToJson(MomentParser.Parse("""{"field":"assigned_to","operator":"changes"}""").Condition!), d.MomentJson);
    }

    [Fact]
    public async Task Given_values_are_kept()
    {
        var d = (await OpportunityValidator.Check(Valid with
        {
            Active = false,
            RandomSamplePercent = 0,
            AssessmentDuration = "PT12H",
            CloseOnExpiry = false,
            PreventDuplicates = true,
            DuplicateWindow = "P1D",
        }, new Directory())).Definition!;

        Assert.False(d.Active);
        Assert.Equal(0, d.RandomSamplePercent);
        Assert.Equal(TimeSpan.FromHours(12), d.AssessmentDuration);
        Assert.False(d.CloseOnExpiry);
        Assert.True(d.PreventDuplicates);
        Assert.Equal(TimeSpan.FromDays(1), d.DuplicateWindow);
    }

    [Fact]
    public async Task Virtual_completion_needs_no_coach_group_and_looks_up_none()
    {
        var directory = new Directory();

        var check = await OpportunityValidator.Check(Valid with { Completion = CompletionMode.Virtual, CoachGroup = null }, directory);

        Assert.Null(check.Refusal);
        Assert.DoesNotContain("group:coaches", directory.Asked);
    }

    [Fact]
    public async Task Each_name_is_looked_up_once()
    {
        var directory = new Directory();

        await OpportunityValidator.Check(Valid with { TraineeGroup = "coaches", TraineeSurvey = "coach-survey", AlwaysCoach = ["u-new", "u-new"] }, directory);

        Assert.Equal(["group:coaches", "survey:coach-survey", "user:u-new"], directory.Asked.Order(StringComparer.Ordinal));
    }

    /// <summary>The directory as a list: groups team and coaches, users u-new (and u-gone, deleted), two surveys.</summary>
    private sealed class Directory : IOpportunityReferences
    {
        private static readonly ImmutableHashSet<string> Groups = ["team", "coaches"];
        private static readonly ImmutableDictionary<string, bool> Users = new Dictionary<string, bool> { ["u-new"] = false, ["u-gone"] = true }.ToImmutableDictionary();
        private static readonly ImmutableHashSet<string> Surveys = ["trainee-survey", "coach-survey"];

        private readonly ConcurrentQueue<string> asked = new();

        public IEnumerable<string> Asked => asked;

        public Task<bool> GroupExists(string groupId) => Answer("group:" + groupId, Groups.Contains(groupId));

        public Task<bool> UserIsActive(string userId) => Answer("user:" + userId, Users.TryGetValue(userId, out var deleted) && !deleted);

        public Task<bool> SurveyExists(string surveyId) => Answer("survey:" + surveyId, Surveys.Contains(surveyId));

        private Task<bool> Answer(string question, bool answer)
        {
            asked.Enqueue(question);
            return Task.FromResult(answer);
        }
    }
}

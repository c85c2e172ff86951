using Coaching.Assessments;

namespace Coaching.Domain.Tests;

public class TextRuleTests
{
    // kind, value, expected code (null: allowed)
    public static TheoryData<TextKind, string?, string?> Cases => new()
    {
        { TextKind.Id, "alice", null },
        { TextKind.Id, "u-17.b_c@corp:x", null },
        { TextKind.Id, new string('a', 128), null },
        { TextKind.Id, new string('a', 129), FieldCodes.InvalidId },
        { TextKind.Id, new string('a', 7_000), FieldCodes.InvalidId },
        { TextKind.Id, "alice\n", FieldCodes.InvalidId },
        { TextKind.Id, "alice\r\n", FieldCodes.InvalidId },
        { TextKind.Id, "\nalice", FieldCodes.InvalidId },
        { TextKind.Id, "ali\0ce", FieldCodes.InvalidId },
        { TextKind.Id, "ali ce", FieldCodes.InvalidId },
        { TextKind.Id, "a/b", FieldCodes.InvalidId },
        { TextKind.Id, "..", FieldCodes.InvalidId },
        { TextKind.Id, "", FieldCodes.InvalidId },
        { TextKind.Id, null, FieldCodes.Required },
        { TextKind.Line, "Ana Silva", null },
        { TextKind.Line, "Émilie Dupont 🙂", null },
        { TextKind.Line, "Ana\0", FieldCodes.InvalidCharacters },
        { TextKind.Line, "Ana\nSilva", FieldCodes.InvalidCharacters },
        { TextKind.Line, "Ana\tSilva", FieldCodes.InvalidCharacters },
        { TextKind.Line, "Ana\u001bSilva", FieldCodes.InvalidCharacters },
        { TextKind.Line, "Ana\u007fSilva", FieldCodes.InvalidCharacters },
        { TextKind.Line, "Ana\u0085Silva", FieldCodes.InvalidCharacters },
        { TextKind.Line, "   ", FieldCodes.Required },
        { TextKind.Line, null, FieldCodes.Required },
        { TextKind.Line, new string('x', 201), FieldCodes.TooLong },
        { TextKind.MultiLine, "line one\nline two\r\n\tindented", null },
        { TextKind.MultiLine, "a note\0", FieldCodes.InvalidCharacters },
        { TextKind.MultiLine, "bell\u0007", FieldCodes.InvalidCharacters },
        { TextKind.MultiLine, new string('x', 10_001), FieldCodes.TooLong },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_kind_allows_its_characters_and_length(TextKind kind, string? value, string? code)
    {
        var rule = kind switch
        {
            TextKind.Id => TextRule.Id,
            TextKind.Line => TextRule.Name,
            _ => TextRule.Text,
        };

        var problem = rule.Check(value);

        Assert.Equal(code, problem?.Code);
        Assert.Equal(code is null, rule.Allows(value));
    }

    [Fact]
    public void Unpaired_surrogates_are_not_text()
    {
        // Not theory data: the runner would replace a lone surrogate when it serializes the case.
        Assert.Equal(FieldCodes.InvalidCharacters, TextRule.Name.Check("Ana\ud800Silva")?.Code);
        Assert.Equal(FieldCodes.InvalidCharacters, TextRule.Text.Check("\udc00 alone")?.Code);
        Assert.Equal(FieldCodes.InvalidCharacters, TextRule.Text.Check("ends high \ud83d")?.Code);
        Assert.Null(TextRule.Text.Check("paired \ud83d\ude42"));
    }

    [Fact]
    public void An_optional_value_may_be_missing_or_blank_but_not_malformed()
    {
        Assert.Null(TextRule.Text.Check(null, required: false));
        Assert.Null(TextRule.Name.Check("  ", required: false));
        Assert.Equal(FieldCodes.InvalidCharacters, TextRule.Text.Check("\0", required: false)?.Code);
        Assert.Equal(FieldCodes.InvalidId, TextRule.Id.Check("", required: false)?.Code);
    }

    [Fact]
    public void A_problem_names_its_field()
    {
        var reason = TextRule.Text.Check("x\0")!.For("text");
        Assert.Equal("text", reason.Field);
        Assert.Equal(FieldCodes.InvalidCharacters, reason.Code);
        Assert.StartsWith("'text' must not contain control characters", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_resolutions_and_session_reasons_refuse_NUL_through_the_same_rule()
    {
        var now = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var assessment = new Assessment { Id = "A1", TraineeId = "t", CoachId = "c", State = AssessmentState.InProgress };
        var note = AssessmentLifecycle.AddNote(assessment, new AssessmentActor("c", false), "hello\0", now);
        Assert.Equal("text", Assert.Single(note.Refusal!.Reasons).Field);
        Assert.Equal(FieldCodes.InvalidCharacters, note.Refusal.Reasons[0].Code);

        var multiLine = AssessmentLifecycle.AddNote(assessment, new AssessmentActor("c", false), "first\nsecond", now);
        Assert.Null(multiLine.Refusal);
    }

    [Theory]
    [InlineData("{\"field\":\"a\",\"operator\":\"is\",\"value\":\"x\\u0000\"}", "moment.value")]
    [InlineData("{\"field\":\"a\\n\",\"operator\":\"changes\"}", "moment.field")]
    public void A_moment_refuses_control_characters_in_names_and_values(string json, string path)
    {
        var result = Coaching.Moments.MomentParser.Parse(json);
        Assert.False(result.IsValid);
        Assert.Equal(path, Assert.Single(result.Problems).Path);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Coaching.Assessments;

namespace Coaching;

/// <summary>What a text field holds; it decides which characters the field may contain.</summary>
public enum TextKind
{
    /// <summary>A key (user, group, survey, case, ...): letters, digits and <c>. _ - @ :</c>, matched to the very end.</summary>
    Id,

    /// <summary>A name, title or other single line: no control character at all, tab and line breaks included.</summary>
    Line,

    /// <summary>Free text (notes, descriptions, reasons, event values): tab, line feed and carriage return, no other control character.</summary>
    MultiLine,
}

/// <summary>Why a text breaks its <see cref="TextRule"/>: a per-field code (<see cref="FieldCodes"/>) and a message
/// that reads after the field name ("is required.").</summary>
public sealed record TextProblem(string Code, string Message)
{
    /// <summary>The problem as the reason of an <c>invalid-request</c> refusal for <paramref name="field"/>.</summary>
    public RefusalReason For(string field) => new(Code, $"'{field}' {Message}", field);
}

/// <summary>
/// The one rule for text a client sends (SPEC F "Text is text"). Every path id, every text field of a request body and
/// every event field goes through it, in the endpoints and in the domain rules alike, so the in-memory and the
/// PostgreSQL storage see the same text: NUL, which PostgreSQL cannot store in text or jsonb, never reaches either.
/// Refused everywhere: C0 and C1 control characters (NUL included) and unpaired surrogates, except tab, line feed and
/// carriage return in <see cref="TextKind.MultiLine"/> text. Ids match their pattern to the end of the string
/// (<c>\z</c>: <c>$</c> would let a trailing line feed through).
/// </summary>
public sealed partial record TextRule(TextKind Kind, int MaxLength)
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 10_000;

    /// <summary>User, group, survey, area, case and other ids.</summary>
    public static TextRule Id { get; } = new(TextKind.Id, MaxIdLength);

    /// <summary>Display names and titles.</summary>
    public static TextRule Name { get; } = new(TextKind.Line, MaxNameLength);

    /// <summary>Notes, descriptions, reasons and answers.</summary>
    public static TextRule Text { get; } = new(TextKind.MultiLine, MaxTextLength);

    public static TextRule Line(int maxLength) => new(TextKind.Line, maxLength);

    public static TextRule MultiLine(int maxLength) => new(TextKind.MultiLine, maxLength);

    /// <summary>True when <paramref name="value"/> is present and keeps the rule.</summary>
    public bool Allows(string? value) => Check(value) is null;

    /// <summary>
    /// Why <paramref name="value"/> breaks the rule, or null when it keeps it. A missing or blank value is a problem
    /// only when <paramref name="required"/> (an optional id, if given, must still be an id).
    /// </summary>
    public TextProblem? Check(string? value, bool required = true)
    {
        if (value is null || (Kind != TextKind.Id && string.IsNullOrWhiteSpace(value)))
        {
            return required ? new TextProblem(FieldCodes.Required, "is required.") : null;
        }

        if (Kind == TextKind.Id)
        {
            return value.Length <= MaxLength && IdPattern().IsMatch(value) && value.Trim('.').Length > 0
                ? null
                : new TextProblem(FieldCodes.InvalidId, string.Create(CultureInfo.InvariantCulture,
                    $"must be 1 to {MaxLength} letters, digits or . _ - @ : characters."));
        }

        if (value.Length > MaxLength)
        {
            return new TextProblem(FieldCodes.TooLong, string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxLength} characters."));
        }

        return FirstForbidden(value) is { } problem ? new TextProblem(FieldCodes.InvalidCharacters, problem) : null;
    }

    private string? FirstForbidden(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "must be valid Unicode text (an unpaired surrogate was found).";
            }
            else if (char.IsControl(c) && !(Kind == TextKind.MultiLine && c is '\t' or '\n' or '\r'))
            {
                return Kind == TextKind.MultiLine
                    ? string.Create(CultureInfo.InvariantCulture, $"must not contain control characters other than tab and line breaks (U+{(int)c:X4} at {i}).")
                    : string.Create(CultureInfo.InvariantCulture, $"must be a single line without control characters (U+{(int)c:X4} at {i}).");
            }
        }

        return null;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9._@:\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

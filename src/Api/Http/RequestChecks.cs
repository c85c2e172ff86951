using System.Text.RegularExpressions;

namespace Coaching.Api.Http;

/// <summary>Collects per-field problems of a request body; empty means the body is well formed.</summary>
public sealed partial class RequestChecks
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 10_000;

    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Ok => errors.Count == 0;

    public IDictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public RequestChecks Fail(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public RequestChecks Required(string field, string? value, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Fail(field, "is required.");
        }

        return Optional(field, value, maxLength);
    }

    public RequestChecks Optional(string field, string? value, int maxLength = MaxTextLength) =>
        value is not null && value.Length > maxLength ? Fail(field, $"must be at most {maxLength} characters.") : this;

    public RequestChecks Id(string field, string? value) =>
        value is null ? Fail(field, "is required.")
        : IsId(value) ? this
        : Fail(field, $"must be 1 to {MaxIdLength} letters, digits or . _ - @ : characters.");

    /// <summary>Ids are plain tokens: no slashes, dots-only names or control characters can be smuggled into keys.</summary>
    public static bool IsId(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && IdPattern().IsMatch(value) && value.Trim('.').Length > 0;

    [GeneratedRegex(@"^[A-Za-z0-9._@:\-]+$")]
    private static partial Regex IdPattern();
}

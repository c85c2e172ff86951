namespace Coaching.Api.Http;

/// <summary>
/// Collects per-field problems of a request; empty means the request is well formed. Every text goes through the one
/// <see cref="TextRule"/> (ids to the end of the string, no control characters), which the domain rules use too.
/// </summary>
public sealed class RequestChecks
{
    public const int MaxIdLength = TextRule.MaxIdLength;
    public const int MaxNameLength = TextRule.MaxNameLength;
    public const int MaxTextLength = TextRule.MaxTextLength;

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

    /// <summary>A value that must be given and keep <paramref name="rule"/> (a single-line name unless told).</summary>
    public RequestChecks Required(string field, string? value, TextRule? rule = null) =>
        Text(field, value, rule ?? TextRule.Name, required: true);

    /// <summary>A value that may be missing or blank; if given it keeps <paramref name="rule"/> (free text unless told).</summary>
    public RequestChecks Optional(string field, string? value, TextRule? rule = null) =>
        Text(field, value, rule ?? TextRule.Text, required: false);

    public RequestChecks Id(string field, string? value) => Text(field, value, TextRule.Id, required: true);

    /// <summary>Ids are plain tokens: no slashes, dots-only names or control characters can be smuggled into keys.</summary>
    public static bool IsId(string? value) => TextRule.Id.Allows(value);

    private RequestChecks Text(string field, string? value, TextRule rule, bool required) =>
        rule.Check(value, required) is { } problem ? Fail(field, problem.Message) : this;
}

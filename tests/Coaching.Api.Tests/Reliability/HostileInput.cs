using System.Text;

namespace Coaching.Api.Tests.Reliability;

/// <summary>Generates what careless and hostile clients send: broken JSON, wrong types, huge and odd strings, tricks in ids.</summary>
public sealed class HostileInput(int seed)
{
    private readonly Random random = new(seed);

    private static readonly string[] Ids =
    [
        "..", "../../etc/passwd", "%2e%2e%2f", "a%2Fb", "%00", "a%00b", "%E2%80%AE", "%F0%9F%98%80", "CON", ".", "~",
        "%20", "a%20b", "%25", "%ZZ", "id;drop table x", "'or'1'='1", "<script>", "%C0%AF", "%uD800", "x" + new string('y', 300),
        "COP0000001", "ASM0000000000000000000", "SES00000000000000000000000000000000", "u-17", "",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "\u0000", "\uFEFF", "\u202Eevil", "e\u0301", "😀", "\uD800", "\uDFFF", "a\u0000b", "\r\n", "\t", "\\", "\"",
        "{}", "[]", "null", "1e309", "-0", "NaN", "P9999999999D", "PT-1S", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
    ];

    private static readonly string[] Scripts =
    [
        "while (true) {}", "const a = []; while (true) { a.push(new Array(1000).fill('x')); }",
        "function f() { return f(); } return { x: f() };", "return { s: 'x'.repeat(1 << 28) };", "}); (function(){",
        "return { x: this.constructor.constructor('return process')() };", "return { x: System };",
    ];

    public string Id() => random.Next(4) == 0 ? "h-" + random.Next(1000) : Ids[random.Next(Ids.Length)];

    public string Body()
    {
        return random.Next(12) switch
        {
            0 => Truncate(Value(3)),
            1 => new string('[', random.Next(100, 5000)) + new string(']', random.Next(0, 5000)),
            2 => "{\"" + new string('k', random.Next(1, 70_000)) + "\":1}",
            3 => "{\"name\":\"" + new string('x', random.Next(1, 500_000)) + "\"}",
            4 => Encoding.UTF8.GetString([.. Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256))]),
            5 => "{\"captureScript\":" + Quote(Scripts[random.Next(Scripts.Length)]) + ",\"moment\":{\"field\":\"a\",\"operator\":\"changes\"},\"name\":\"x\",\"sourceTable\":\"t\",\"traineeField\":\"a\",\"coachGroup\":\"g\",\"randomSamplePercent\":100,\"assessmentDuration\":\"P1D\",\"completion\":\"coach\"}",
            6 => "{\"events\":[" + string.Join(",", Enumerable.Range(0, random.Next(0, 1500)).Select(_ => Value(2))) + "]}",
            7 => "{\"moment\":" + Moment(random.Next(1, 40)) + "}",
            _ => Value(4),
        };
    }

    private string Value(int depth)
    {
        var kind = depth <= 0 ? random.Next(5) : random.Next(8);
        return kind switch
        {
            0 => Quote(Strings[random.Next(Strings.Length)]),
            1 => random.Next(3) switch { 0 => "0", 1 => "-1", _ => "1e308" },
            2 => random.Next(2) == 0 ? "true" : "false",
            3 => "null",
            4 => Quote(Id()),
            5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => Value(depth - 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 8)).Select(_ => Quote(Field()) + ":" + Value(depth - 1))) + "}",
        };
    }

    private string Moment(int depth) => depth <= 0
        ? "{\"field\":" + Quote(Field()) + ",\"operator\":" + Quote(random.Next(4) == 0 ? "nope" : "changes") + "}"
        : "{\"" + (random.Next(2) == 0 ? "all" : "any") + "\":[" + Moment(depth - 1) + "]}";

    private static readonly string[] Fields =
    [
        "displayName", "email", "active", "members", "name", "questions", "title", "coach", "trainees", "coachingArea",
        "expiresAt", "referenceCases", "scheduledAt", "durationMinutes", "reason", "notes", "summary", "rating", "followUp",
        "text", "answers", "eventId", "table", "recordId", "occurredAt", "fields", "previous", "events", "moment",
        "randomSamplePercent", "assessmentDuration", "duplicateWindow", "sourceTable", "traineeField", "type", "id",
    ];

    private string Field() => random.Next(6) == 0 ? Strings[random.Next(Strings.Length)] : Fields[random.Next(Fields.Length)];

    private string Truncate(string json) => json.Length < 2 ? "{" : json[..random.Next(1, json.Length)];

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}

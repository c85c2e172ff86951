using BenchmarkDotNet.Attributes;
using Coaching.Moments;

namespace Coaching.Bench.Micro;

/// <summary>Moment evaluation (src/Grains/Moments): parsing at save time, building an event's fields once, and
/// evaluating conditions of each shape against them.</summary>
[MemoryDiagnoser]
public class MomentBenchmarks
{
    private const string LeafJson = """{"field":"assigned_to","operator":"changes"}""";

    private const string AllJson = """
        {"all":[{"field":"assigned_to","operator":"changes"},{"field":"state","operator":"is","value":"2"},
        {"field":"priority","operator":"less_than","value":4},{"field":"work_notes","operator":"contains","value":"customer"},
        {"field":"category","operator":"is_one_of","value":["network","hardware","software"]}]}
        """;

    private const string NestedJson = """
        {"any":[{"all":[{"field":"state","operator":"changes_to","value":"6"},{"field":"resolution_code","operator":"is_not_empty"}]},
        {"all":[{"field":"reassignment_count","operator":"greater_than","value":2},{"field":"assignment_group","operator":"starts_with","value":"service"}]},
        {"field":"short_description","operator":"not_contains","value":"test"}]}
        """;

    private static readonly KeyValuePair<string, string?>[] Fields =
    [
        new("assigned_to", "u-17"), new("state", "2"), new("priority", "3"), new("category", "network"),
        new("assignment_group", "service-desk"), new("reassignment_count", "3"), new("resolution_code", "fixed"),
        new("short_description", "Printer on floor 3 offline"), new("work_notes", "Called the customer back and confirmed the fix."),
        new("opened_at", "2026-11-20T09:12:00Z"),
    ];

    private static readonly KeyValuePair<string, string?>[] Previous = [new("assigned_to", "u-42"), new("state", "1")];

    private Condition leaf = null!;
    private Condition all = null!;
    private Condition nested = null!;
    private EventFields fields = null!;

    [GlobalSetup]
    public void Setup()
    {
        leaf = MomentParser.Parse(LeafJson).Condition!;
        all = MomentParser.Parse(AllJson).Condition!;
        nested = MomentParser.Parse(NestedJson).Condition!;
        fields = EventFields.From(Fields, Previous);
    }

    [Benchmark]
    public MomentParseResult ParseLeaf() => MomentParser.Parse(LeafJson);

    [Benchmark]
    public MomentParseResult ParseAllOfFive() => MomentParser.Parse(AllJson);

    [Benchmark]
    public MomentParseResult ParseNested() => MomentParser.Parse(NestedJson);

    /// <summary>Once per event: both sides of the event prepared for every opportunity of its table.</summary>
    [Benchmark]
    public EventFields EventFieldsOfTenFields() => EventFields.From(Fields, Previous);

    [Benchmark]
    public bool EvaluateLeafChanges() => MomentEvaluator.Matches(leaf, fields);

    [Benchmark]
    public bool EvaluateAllOfFive() => MomentEvaluator.Matches(all, fields);

    [Benchmark]
    public bool EvaluateNestedAny() => MomentEvaluator.Matches(nested, fields);
}

using BenchmarkDotNet.Attributes;

namespace Coaching.Bench.Micro;

/// <summary>
/// The catalog lookup on the per-event path: one event evaluated against the active opportunities of its table,
/// with 1, 10, 100 and 1,000 there, and with 1,000 on other tables only (which must cost nothing: the lookup is by
/// table). "Matching" makes every opportunity of the table match, so (matching - not matching) / N is the cost of
/// one matching opportunity. One operation = one event, so events/s = 1e9 / mean ns.
/// </summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    public static IEnumerable<CatalogScenario> Scenarios() =>
    [
        new(1, 0), new(10, 0), new(100, 0), new(1000, 0), new(1, 1000), new(0, 1000),
    ];

    [ParamsSource(nameof(Scenarios))]
    public CatalogScenario Scenario { get; set; } = new(1, 0);

    [Params(false, true)]
    public bool Matching { get; set; }

    private ICatalogUnderTest catalog = null!;
    private BenchEvent incoming = null!;

    [GlobalSetup]
    public void Setup()
    {
        catalog = CatalogUnderTest.Create(Scenario.Build());
        incoming = CatalogScenario.Event(Matching);
    }

    [Benchmark]
    public int EvaluateOneEvent() => catalog.Evaluate(incoming);
}

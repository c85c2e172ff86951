using BenchmarkDotNet.Attributes;
using Coaching.Pipeline;

namespace Coaching.Bench.Micro;

/// <summary>
/// The catalog lookup on the per-event path, through the pipeline's own code: one event evaluated against the active
/// opportunities of its table, with 1, 10, 100 and 1,000 there, and with 1,000 on other tables (which must cost
/// nothing: the lookup is by table). <see cref="Matching"/> makes every opportunity of the table match, so
/// (matching - not matching) / N is the cost of one matching opportunity. One operation = one event:
/// events/s = 1e9 / mean (ns).
/// </summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    public static IEnumerable<CatalogScenario> Scenarios() =>
    [
        new(0, 0), new(1, 0), new(10, 0), new(100, 0), new(1000, 0), new(0, 1000), new(1, 1000),
    ];

    [ParamsSource(nameof(Scenarios))]
    public CatalogScenario Scenario { get; set; } = new(1, 0);

    [Params(false, true)]
    public bool Matching { get; set; }

    private PipelineCatalog catalog = null!;
    private IncomingEvent incoming = null!;
    private string key = "";

    [GlobalSetup]
    public void Setup()
    {
        catalog = new PipelineCatalog(Scenario.Build());
        incoming = PipelineCatalog.Incoming(CatalogScenario.Event(Matching));
        key = EventKeys.For("bench-integration", incoming.EventId);
    }

    [Benchmark]
    public int EvaluateOneEvent() => catalog.Evaluate(incoming, key);
}

using Coaching.Moments;

namespace Coaching.Bench.Micro;

/// <summary>What the catalog benchmark calls: evaluate one event, answer how many opportunities matched.</summary>
public interface ICatalogUnderTest
{
    int Evaluate(BenchEvent incoming);
}

public static class CatalogUnderTest
{
    public static ICatalogUnderTest Create(IReadOnlyList<BenchOpportunity> opportunities) => new MomentsByTable(opportunities);
}

/// <summary>
/// Stand-in until the pipeline's catalog lands on main: moments parsed once and grouped by table, then per event
/// one lookup by table, the event's fields prepared once and every moment of the table evaluated.
/// </summary>
public sealed class MomentsByTable : ICatalogUnderTest
{
    private readonly Dictionary<string, Condition[]> byTable;

    public MomentsByTable(IReadOnlyList<BenchOpportunity> opportunities)
    {
        byTable = opportunities
            .GroupBy(o => o.Table, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(o => MomentParser.Parse(o.MomentJson).Condition ?? throw new InvalidOperationException(o.MomentJson)).ToArray(), StringComparer.Ordinal);
    }

    public int Evaluate(BenchEvent incoming)
    {
        if (!byTable.TryGetValue(incoming.Table, out var moments))
        {
            return 0;
        }

        var fields = EventFields.From(incoming.Fields, incoming.Previous);
        var matched = 0;
        foreach (var moment in moments)
        {
            if (MomentEvaluator.Matches(moment, fields))
            {
                matched++;
            }
        }

        return matched;
    }
}

using System.Globalization;

namespace Coaching.Bench.Micro;

/// <summary>An event as the intake receives it.</summary>
public sealed record BenchEvent(string EventId, string Table, string RecordId, IReadOnlyDictionary<string, string?> Fields, IReadOnlyDictionary<string, string?> Previous);

/// <summary>An active opportunity: its source table, trainee field and moment (JSON, as saved).</summary>
public sealed record BenchOpportunity(string Id, string Table, string TraineeField, string MomentJson);

/// <summary><see cref="OnTable"/> active opportunities on the event's table, <see cref="Elsewhere"/> spread over 50 other tables.</summary>
public sealed record CatalogScenario(int OnTable, int Elsewhere)
{
    public const string EventTable = "incident";

    public IReadOnlyList<BenchOpportunity> Build()
    {
        var list = new List<BenchOpportunity>();
        for (var i = 0; i < OnTable; i++)
        {
            list.Add(Opportunity(list.Count, EventTable));
        }

        for (var i = 0; i < Elsewhere; i++)
        {
            list.Add(Opportunity(list.Count, "table-" + (i % 50).ToString(CultureInfo.InvariantCulture)));
        }

        return list;
    }

    /// <summary>Each opportunity tests a reassignment of incidents in its own group above a priority: two leaves,
    /// like most real moments. The matching event is in every group's reach (group "any"); the other is not.</summary>
    private static BenchOpportunity Opportunity(int n, string table)
    {
        var id = "COP" + (n + 1).ToString("D7", CultureInfo.InvariantCulture);
        var moment = $$"""
            {"all":[{"field":"assigned_to","operator":"changes"},
            {"field":"assignment_group","operator":"is_one_of","value":["group-{{n}}","any"]},
            {"field":"priority","operator":"less_than","value":5}]}
            """;
        return new BenchOpportunity(id, table, "assigned_to", moment);
    }

    public static BenchEvent Event(bool matching) => new(
        "evt-000123",
        EventTable,
        "INC0010042",
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["assigned_to"] = "u-17",
            ["assignment_group"] = matching ? "any" : "nobody",
            ["priority"] = "3",
            ["state"] = "2",
            ["resolution_code"] = "fixed",
            ["work_notes"] = "Called the customer back and confirmed the fix.",
        },
        new Dictionary<string, string?>(StringComparer.Ordinal) { ["assigned_to"] = "u-42" });

    public override string ToString() => Elsewhere == 0 ? $"{OnTable} on table" : $"{OnTable} on table + {Elsewhere} elsewhere";
}

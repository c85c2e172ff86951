using System.Collections.Immutable;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Scripts;

namespace Coaching.Pipeline;

/// <summary>An active opportunity prepared for evaluation: moment parsed and script compiled once per version.</summary>
public sealed class ActiveOpportunity
{
    public ActiveOpportunity(Opportunity opportunity)
    {
        ArgumentNullException.ThrowIfNull(opportunity);
        Opportunity = opportunity;
        var parsed = MomentParser.Parse(opportunity.Definition.MomentJson);
        // Moments are validated at save; a stored one that no longer parses matches nothing rather than failing events.
        Moment = parsed.Condition;
        if (opportunity.Definition.CaptureScript is { Length: > 0 } source)
        {
            var compiled = CaptureScript.Compile(source);
            Script = compiled.Script;
            ScriptProblem = compiled.Error;
        }

        AlwaysCoach = opportunity.Definition.AlwaysCoach.ToHashSet(StringComparer.Ordinal);
    }

    public Opportunity Opportunity { get; }

    public string Id => Opportunity.Id;

    public OpportunityDefinition Definition => Opportunity.Definition;

    public Condition? Moment { get; }

    public CaptureScript? Script { get; }

    /// <summary>Set when a stored script no longer compiles; recorded as the script error.</summary>
    public string? ScriptProblem { get; }

    public IReadOnlySet<string> AlwaysCoach { get; }
}

/// <summary>The local, versioned copy of the catalog: active opportunities by source table.</summary>
public sealed class OpportunityCatalogView
{
    public static readonly OpportunityCatalogView Empty = new(-1, ImmutableDictionary<string, ImmutableArray<ActiveOpportunity>>.Empty);

    private readonly ImmutableDictionary<string, ImmutableArray<ActiveOpportunity>> byTable;

    private OpportunityCatalogView(long version, ImmutableDictionary<string, ImmutableArray<ActiveOpportunity>> byTable)
    {
        Version = version;
        this.byTable = byTable;
    }

    public long Version { get; }

    /// <summary>
    /// Whether <paramref name="snapshot"/> should replace this view: only a higher catalog version does, so a late
    /// answer to a poll never undoes a newer push.
    /// </summary>
    public bool IsOlderThan(OpportunityCatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Version > Version;
    }

    public ImmutableArray<ActiveOpportunity> For(string table) =>
        byTable.TryGetValue(table, out var list) ? list : [];

    /// <summary>A view of <paramref name="snapshot"/>, reusing the prepared entries of unchanged versions.</summary>
    public OpportunityCatalogView Next(OpportunityCatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var known = byTable.Values.SelectMany(v => v).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var prepared = snapshot.Active.Select(o =>
            known.TryGetValue(o.Id, out var same) && same.Opportunity.Version == o.Version ? same : new ActiveOpportunity(o));
        var tables = prepared
            .GroupBy(a => a.Definition.SourceTable, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => g.OrderBy(a => a.Id, StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal);
        return new OpportunityCatalogView(snapshot.Version, tables);
    }
}

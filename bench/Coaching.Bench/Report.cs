using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coaching.Bench;

/// <summary>One measured figure.</summary>
public sealed record Figure(string Key, string Label, double Value, string Unit, string Note);

/// <summary>A figure divided by its ceiling (or compared with a bound), and the issue's target for it.</summary>
public sealed record Ratio(string Key, string Label, double Value, string Target, bool? Met, string Note);

/// <summary>Everything a run measured, written as JSON and as a markdown table.</summary>
public sealed class Report
{
    public string RunId { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public string Command { get; init; } = "";

    public Dictionary<string, string> Environment { get; init; } = [];

    public List<Figure> Figures { get; } = [];

    public List<Ratio> Ratios { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Raw counters read from the service around phases (status codes, CPU, metrics).</summary>
    public Dictionary<string, string> Counters { get; } = [];

    public Figure? Find(string key) => Figures.FirstOrDefault(f => f.Key == key);

    public void Add(Figure figure)
    {
        Figures.Add(figure);
        Console.WriteLine($"  {figure.Label}: {Format(figure.Value)} {figure.Unit}{(figure.Note.Length > 0 ? "  (" + figure.Note + ")" : "")}");
    }

    /// <summary>numerator / denominator when both were measured.</summary>
    public void AddRatio(string key, string label, string numerator, string denominator, double? atLeast, string note = "")
    {
        if (Find(numerator) is not { } n || Find(denominator) is not { } d || d.Value <= 0)
        {
            Ratios.Add(new Ratio(key, label, double.NaN, atLeast is { } t ? $">= {t:0.##}" : "", null, "not measured in this run"));
            return;
        }

        var value = n.Value / d.Value;
        Ratios.Add(new Ratio(key, label, value, atLeast is { } min ? $">= {min:0.##}" : "(informational)", atLeast is { } m ? value >= m : null, note));
    }

    public void AddBound(string key, string label, string figure, double atMost, string note = "")
    {
        if (Find(figure) is not { } f || double.IsNaN(f.Value))
        {
            Ratios.Add(new Ratio(key, label, double.NaN, $"< {atMost:0.##}", null, "not measured in this run"));
            return;
        }

        if (f.Value <= 0)
        {
            // A growth below zero is noise larger than the effect: say so rather than call it met.
            Ratios.Add(new Ratio(key, label, f.Value, $"<= {atMost.ToString("0.##", CultureInfo.InvariantCulture)} {f.Unit}", null, "not resolved: below the noise of this reading"));
            return;
        }

        Ratios.Add(new Ratio(key, label, f.Value, $"<= {atMost.ToString("0.##", CultureInfo.InvariantCulture)} {f.Unit}", f.Value <= atMost, note));
    }

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1 ? value.ToString("0.0#", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run `{RunId}` at {StartedAt:yyyy-MM-dd HH:mm} UTC: `{Command}`");
        md.AppendLine();
        md.AppendLine(string.Join("; ", Environment.Select(e => $"{e.Key}: {e.Value}")));
        md.AppendLine();
        md.AppendLine("| figure | value | unit | what it is |");
        md.AppendLine("| --- | ---: | --- | --- |");
        foreach (var f in Figures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Label} | {Format(f.Value)} | {f.Unit} | {f.Note} |");
        }

        md.AppendLine();
        md.AppendLine("| ratio / bound | value | target | met |");
        md.AppendLine("| --- | ---: | --- | --- |");
        foreach (var r in Ratios)
        {
            var met = r.Met switch { true => "yes", false => "**no**", null => "-" };
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Label} | {Format(r.Value)} | {r.Target} | {met}{(r.Note.Length > 0 ? " (" + r.Note + ")" : "")} |");
        }

        if (Notes.Count > 0)
        {
            md.AppendLine();
            foreach (var note in Notes)
            {
                md.AppendLine("- " + note);
            }
        }

        return md.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <c>bench-{time}-{run}.json</c> and <c>.md</c>, plus <c>latest.json</c>/<c>latest.md</c>.</summary>
    public (string Json, string Markdown) Write(string? folder)
    {
        folder ??= DefaultFolder;
        System.IO.Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"bench-{StartedAt:yyyyMMdd-HHmmss}-{RunId}");
        var json = JsonSerializer.Serialize(this, JsonOptions);
        var md = Markdown();
        File.WriteAllText(stem + ".json", json);
        File.WriteAllText(stem + ".md", md);
        File.WriteAllText(Path.Combine(folder, "latest.json"), json);
        File.WriteAllText(Path.Combine(folder, "latest.md"), md);
        return (stem + ".json", stem + ".md");
    }

    public static string DefaultFolder =>
        typeof(Report).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ResultsFolder").Value!;
}

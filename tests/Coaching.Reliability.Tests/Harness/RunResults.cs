namespace Coaching.Reliability.Tests.Harness;

/// <summary>The line of figures every run appends to <c>$TMPDIR/coaching-reliability-results.txt</c> (docs/reliability.md).</summary>
internal static class RunResults
{
    public static string FilePath { get; } = Path.Combine(Path.GetTempPath(), "coaching-reliability-results.txt");

    public static Task AppendAsync(string test, string summary) =>
        File.AppendAllTextAsync(FilePath, $"{DateTime.UtcNow:O} {test} {summary}\n");
}

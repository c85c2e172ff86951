using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace Coaching.Bench;

/// <summary>Memory of the service process: working set from /proc, live managed heap from its own metrics, and a
/// full garbage collection induced through the diagnostics port (as dotnet-gcdump does) before reading either.</summary>
public static class ServiceMemory
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>Asks the runtime of <paramref name="pid"/> for a full blocking collection.</summary>
    public static async Task InduceFullGc(int pid, TimeSpan wait, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword) };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, cancellationToken);
        var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
        await Task.Delay(wait, cancellationToken);
        await session.StopAsync(cancellationToken);
        await drain;
    }

    /// <summary>Sum of each metric's samples (labels ignored) for metric names containing any of
    /// <paramref name="fragments"/>, from a Prometheus text page.</summary>
    public static Dictionary<string, double> Metrics(string page, params string[] fragments)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in page.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd <= 0)
            {
                continue;
            }

            var name = line[..nameEnd];
            if (!fragments.Any(f => name.Contains(f, StringComparison.Ordinal)))
            {
                continue;
            }

            var valueStart = line.IndexOf('}', StringComparison.Ordinal) is var close and >= 0 ? close + 1 : nameEnd;
            var parts = line[valueStart..].Trim().Split(' ');
            if (double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
        }

        return sums;
    }
}

using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace Coaching.Bench;

/// <summary>
/// A CPU sample profile of the service during a phase (EventPipe's sample profiler, as <c>dotnet-trace</c>'s
/// cpu-sampling profile records it), reduced to where the busy samples are: by area (namespace) and by method,
/// inclusive. Samples whose innermost frame waits (idle thread-pool threads, sockets, locks) are left out.
/// </summary>
public static class ServiceProfile
{
    private const long RuntimeKeywords = 0x14C14FCCBD; // dotnet-trace's default for the runtime provider

    private static readonly string[] WaitFrames =
    [
        "Wait", "Sleep", "epoll", "LowLevelLifoSemaphore", "SpinWait", "Monitor.Enter", "ReceiveMessage", "Semaphore", "Thread.Join",
    ];

    private static readonly (string Area, string Prefix)[] Areas =
    [
        ("Orleans dashboard", "Orleans.Dashboard"), ("Orleans storage (ADO.NET)", "Orleans.Storage"), ("Orleans", "Orleans."),
        ("Npgsql", "Npgsql"), ("JWT / IdentityModel", "Microsoft.IdentityModel"), ("JWT / IdentityModel", "System.IdentityModel"),
        ("OpenTelemetry", "OpenTelemetry"), ("ASP.NET Core", "Microsoft.AspNetCore"), ("System.Text.Json", "System.Text.Json"),
        ("Coaching", "Coaching."), ("Logging", "Microsoft.Extensions.Logging"), ("Jint", "Jint"),
        ("Sockets / IO", "System.Net.Sockets"), ("Collections", "System.Collections"),
    ];

    /// <summary>Starts recording; dispose the returned recording to stop and write the file.</summary>
    public static async Task<Recording> Start(int pid, string path, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, RuntimeKeywords),
        };
        var session = await client.StartEventPipeSessionAsync(providers, requestRundown: true, circularBufferMB: 256, cancellationToken);
        var file = File.Create(path);
        var copy = session.EventStream.CopyToAsync(file, cancellationToken);
        return new Recording(session, file, copy, path);
    }

    public sealed class Recording(EventPipeSession session, FileStream file, Task copy, string path)
    {
        public string Path => path;

        public async Task Stop()
        {
            await session.StopAsync(CancellationToken.None);
            await copy;
            await file.DisposeAsync();
            session.Dispose();
        }
    }

    /// <summary>Busy-sample shares by area and the top methods (inclusive), as text.</summary>
    public static string Summarize(string path, int topMethods = 40)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(path);
        using var log = new TraceLog(etlx);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var areas = new Dictionary<string, int>(StringComparer.Ordinal);
        int busy = 0, waiting = 0;
        foreach (var e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || e.CallStack() is not { } stack)
            {
                continue;
            }

            var frames = new List<string>();
            for (var frame = stack; frame is not null; frame = frame.Caller)
            {
                var name = frame.CodeAddress.FullMethodName;
                frames.Add(string.IsNullOrEmpty(name) ? "[" + (frame.CodeAddress.ModuleName ?? "native") + "]" : name);
            }

            // Innermost managed frame decides whether the thread was waiting.
            var leaf = frames.FirstOrDefault(f => !f.StartsWith('[')) ?? frames[0];
            // The file watcher's thread blocks in read(2): waiting too.
            if (WaitFrames.Any(w => leaf.Contains(w, StringComparison.Ordinal)) || frames.Any(f => f.StartsWith("System.IO.FileSystemWatcher", StringComparison.Ordinal)))
            {
                waiting++;
                continue;
            }

            busy++;
            exclusive[frames[0]] = exclusive.GetValueOrDefault(frames[0]) + 1;
            foreach (var name in frames.Distinct(StringComparer.Ordinal))
            {
                inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
            }

            foreach (var area in frames.Select(AreaOf).Where(a => a is not null).Distinct(StringComparer.Ordinal))
            {
                areas[area!] = areas.GetValueOrDefault(area!) + 1;
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{busy} busy samples ({waiting} waiting left out). Share of busy samples with a frame of each area (inclusive, so they overlap):");
        foreach (var (area, count) in areas.OrderByDescending(a => a.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {100.0 * count / Math.Max(1, busy),5:0.0}%  {area}");
        }

        text.AppendLine("Top methods by self time (innermost frame; [module] = native code there, e.g. GC, JIT, the kernel; PollGC = a thread held for a garbage collection):");
        foreach (var (name, count) in exclusive.OrderByDescending(m => m.Value).Take(25))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {100.0 * count / Math.Max(1, busy),5:0.0}%  {(name.Length > 160 ? name[..160] : name)}");
        }

        text.AppendLine("Top methods, inclusive share of busy samples (thread-pool, async and task plumbing left out):");
        foreach (var (name, count) in inclusive.Where(m => !IsPlumbing(m.Key)).OrderByDescending(m => m.Value).Take(topMethods))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {100.0 * count / Math.Max(1, busy),5:0.0}%  {(name.Length > 160 ? name[..160] : name)}");
        }

        return text.ToString();
    }

    private static bool IsPlumbing(string frame) =>
        frame.StartsWith('[') || frame.StartsWith("System.Threading", StringComparison.Ordinal)
        || frame.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal)
        || frame.StartsWith("Orleans.Runtime.Scheduler", StringComparison.Ordinal);

    private static string? AreaOf(string frame)
    {
        foreach (var (area, prefix) in Areas)
        {
            if (frame.StartsWith(prefix, StringComparison.Ordinal))
            {
                return area;
            }
        }

        return null;
    }
}

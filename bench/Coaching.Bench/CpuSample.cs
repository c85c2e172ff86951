using System.Diagnostics;
using System.Globalization;

namespace Coaching.Bench;

/// <summary>CPU time of the machine (/proc/stat), the bench and the service at one moment; two samples give the
/// share of the machine that was busy and the cores each process used in between.</summary>
public readonly record struct CpuSample(long Timestamp, double MachineBusy, double MachineTotal, double Bench, double Service, double Postgres)
{
    public static CpuSample Take(int? servicePid, int? postmasterPid = null)
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return new CpuSample(
            Stopwatch.GetTimestamp(),
            (total - idle) / 100.0,
            total / 100.0,
            Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
            servicePid is { } pid ? ProcessSeconds(pid) : 0,
            postmasterPid is { } postmaster ? TreeSeconds(postmaster) : 0);
    }

    /// <summary>CPU seconds of a process and its direct children (PostgreSQL: the postmaster and its backends;
    /// a backend that exited takes its time with it, the pooled ones live through the run).</summary>
    public static double TreeSeconds(int parent)
    {
        var total = ProcessSeconds(parent);
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == parent)
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // Field index 1 after the command is the parent pid.
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return total;
    }

    public static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>"machine 93% busy; service 1.10 cores, bench 0.70 cores" between this sample and <paramref name="later"/>.</summary>
    public string Describe(CpuSample later, bool withService)
    {
        var wall = (double)(later.Timestamp - Timestamp) / Stopwatch.Frequency;
        var busy = later.MachineTotal > MachineTotal ? (later.MachineBusy - MachineBusy) / (later.MachineTotal - MachineTotal) : 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"machine {busy * 100:0}% busy over {Environment.ProcessorCount} cores; bench {(later.Bench - Bench) / wall:0.00} cores");
        if (withService)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; service {(later.Service - Service) / wall:0.00} cores");
        }

        if (later.Postgres > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; PostgreSQL {(later.Postgres - Postgres) / wall:0.00} cores");
        }

        return text;
    }
}

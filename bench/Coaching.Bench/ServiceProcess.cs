using Coaching.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Coaching.Bench;

/// <summary>
/// The service under test as a child process: the built <c>src/Api</c> (same configuration as the bench) run with
/// <c>dotnet Coaching.Api.dll --urls http://127.0.0.1:port</c>, configured by environment variables only. Its output
/// goes to a log file beside the results.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ServiceProcess(Process process, StreamWriter log, Uri address, string logPath)
    {
        this.process = process;
        this.log = log;
        Address = address;
        LogPath = logPath;
    }

    public Uri Address { get; }

    public string LogPath { get; }

    public int ProcessId => process.Id;

    public static string AssemblyPath =>
        typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ServiceAssembly").Value!;

    public static async Task<ServiceProcess> Start(string? serviceDll, IEnumerable<KeyValuePair<string, string>> environment, string logPath, CancellationToken cancellationToken)
    {
        var dll = serviceDll ?? AssemblyPath;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build -c Release).");
        }

        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, log, address, logPath);
        try
        {
            await service.WaitUntilReady(cancellationToken);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>The service log is kept to this size; further lines are counted, not written.</summary>
    public const long MaxLogBytes = 20 * 1024 * 1024;

    private static long logged;
    private static long dropped;

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (logged > MaxLogBytes)
            {
                dropped++;
                return;
            }

            logged += line.Length + 1;
            log.WriteLine(line);
        }
    }

    /// <summary>Lines of service output not written because the log reached <see cref="MaxLogBytes"/>.</summary>
    public static long DroppedLogLines => Interlocked.Read(ref dropped);

    private async Task WaitUntilReady(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var giveUpAt = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {process.ExitCode} while starting; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow answer while the silo starts.
            }

            if (DateTime.UtcNow > giveUpAt)
            {
                throw new InvalidOperationException($"The service was not ready within 120 s; see {LogPath}.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Resident set size of the service process (VmRSS of /proc/pid/status), bytes.</summary>
    public long WorkingSetBytes() => ReadWorkingSet(process.Id);

    public static long ReadWorkingSet(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                // SIGTERM first so the silo leaves the cluster cleanly; then kill what is left.
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            process.Dispose();
            lock (log)
            {
                if (dropped > 0)
                {
                    log.WriteLine($"[bench] {dropped} further lines not written (log capped at {MaxLogBytes / 1048576} MiB).");
                }

                log.Dispose();
            }
        }
    }
}

using System.Diagnostics;

namespace Coaching.Reliability.Tests.Harness;

/// <summary>
/// One product process (<c>dotnet &lt;dll&gt;</c>) configured by environment variables, with stdout and stderr
/// appended to a log file; it can be started again after a stop (SIGTERM) or a kill (SIGKILL).
/// </summary>
public sealed class ClusterProcess(string name, string dll, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, string logFile)
    : IDisposable
{
    private readonly Lock gate = new();
    private Process? process;
    private StreamWriter? log;

    public string Name => name;

    public string LogFile => logFile;

    public bool Running => process is { HasExited: false };

    public int Starts { get; private set; }

    public void Start()
    {
        if (Running)
        {
            throw new InvalidOperationException($"{name} is already running.");
        }

        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Its own stdin: nothing of the test runner's console reaches it.
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        log ??= new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        Write($"---- start #{Starts + 1} at {DateTime.UtcNow:O}");
        var started = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        started.OutputDataReceived += (_, e) => Write(e.Data);
        started.ErrorDataReceived += (_, e) => Write(e.Data is null ? null : "ERR " + e.Data);
        started.EnableRaisingEvents = true;
        started.Exited += (_, _) => Write($"---- process exited with {started.ExitCode} at {DateTime.UtcNow:O}");
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        Starts++;
    }

    /// <summary>SIGTERM and wait for a graceful exit; SIGKILL if it takes longer than <paramref name="within"/>.</summary>
    public async Task StopAsync(TimeSpan within)
    {
        if (!Running)
        {
            return;
        }

        Write($"---- SIGTERM at {DateTime.UtcNow:O}");
        using (var kill = Process.Start("kill", ["-TERM", process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            Write($"---- exited with {process.ExitCode} at {DateTime.UtcNow:O}");
        }
        catch (OperationCanceledException)
        {
            Write($"---- did not stop within {within}; SIGKILL");
            Kill();
            throw new TimeoutException($"{name} did not stop within {within} of SIGTERM (killed); see {logFile}");
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!Running)
        {
            return;
        }

        Write($"---- SIGKILL at {DateTime.UtcNow:O}");
        process!.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public string Tail(int lines = 40)
    {
        lock (gate)
        {
            log?.Flush();
        }

        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
        lock (gate)
        {
            log?.Dispose();
            log = null;
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            log?.WriteLine(line);
        }
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Coaching.Bench;

/// <summary>
/// The PostgreSQL the run uses: a server given by connection string, or a throwaway one started from the local
/// binaries in a temp folder on a free loopback port (as the <c>postgres</c> user when run as root, since initdb
/// refuses root), as tests/Coaching.Testing does. Either way the bench works in a database of its own, dropped
/// (or deleted with the server) at the end.
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    private string? folder;
    private string? binaries;
    private string serverConnectionString = "";
    private string? database;

    /// <summary>Connection string of the bench's database, without pool settings.</summary>
    public string ConnectionString { get; private set; } = "";

    public string Description { get; private set; } = "";

    public static async Task<PostgresInstance> Start(string? given, string runId)
    {
        var instance = new PostgresInstance();
        try
        {
            if (string.IsNullOrWhiteSpace(given))
            {
                instance.serverConnectionString = await instance.StartThrowawayServer();
                instance.Description = "throwaway server started by the bench (fsync=off, as the tests run it)";
            }
            else
            {
                instance.serverConnectionString = given;
                instance.Description = "given server (--postgres)";
            }

            await WaitUntilReady(instance.serverConnectionString);
            instance.database = "coaching_bench_" + runId;
            await using (var connection = new NpgsqlConnection(instance.serverConnectionString))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{instance.database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            instance.ConnectionString = new NpgsqlConnectionStringBuilder(instance.serverConnectionString) { Database = instance.database }.ConnectionString;
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (folder is null)
        {
            if (database is not null)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(serverConnectionString);
                    await connection.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync();
                }
                catch (NpgsqlException ex)
                {
                    Console.Error.WriteLine($"Could not drop {database}: {ex.Message}");
                }
            }

            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                await Run(Path.Combine(binaries!, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], asPostgres: true);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string DataFolder => Path.Combine(folder!, "data");

    /// <summary>The server's postmaster process when the bench started the server (its CPU is read per phase).</summary>
    public int? PostmasterPid =>
        folder is not null && File.Exists(Path.Combine(DataFolder, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First(), out var pid) ? pid : null;

    private async Task<string> StartThrowawayServer()
    {
        binaries = await FindBinaries();
        folder = Path.Combine(Path.GetTempPath(), "coaching-bench-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            await Run("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        await Run(Path.Combine(binaries, "initdb"),
            ["-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);
        var port = FreePort();
        var serverOptions = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=256MB";
        await Run(Path.Combine(binaries, "pg_ctl"),
            ["-D", DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], asPostgres: true);
        return new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres" }.ConnectionString;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> FindBinaries()
    {
        var candidates = new List<string>();
        try
        {
            candidates.Add((await Run("pg_config", ["--bindir"], asPostgres: false)).Trim());
        }
        catch (InvalidOperationException)
        {
            // pg_config is optional: the Debian/Ubuntu layout below is searched too.
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var major) ? major : 0)
                .Select(v => Path.Combine(v, "bin")));
        }

        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL, pass --postgres <connstr>, or run --in-memory.");
    }

    private static async Task WaitUntilReady(string connectionString)
    {
        var giveUpAt = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when ((ex is NpgsqlException or SocketException) && DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(250);
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task<string> Run(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start {start.FileName}: {ex.Message}", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
            }

            return await output;
        }
    }
}

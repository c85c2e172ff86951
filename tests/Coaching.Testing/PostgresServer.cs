using Xunit;
using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace Coaching.Testing;

/// <summary>
/// A PostgreSQL server for the test run: the one named by <c>COACHING_TEST_POSTGRES</c> (a connection
/// string) or a throwaway server started from the local PostgreSQL binaries on a free loopback port.
/// Hands out fresh databases so test classes never share rows.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    public const string ServerVariable = "COACHING_TEST_POSTGRES";

    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(60);
    private readonly List<string> createdDatabases = [];
    private string? folder;
    private string? binaries;
    private string serverConnectionString = "";

    /// <summary>Connection string of a fresh database created for this fixture.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A server of its own even when <see cref="ServerVariable"/> names one: for tests that stop and start it.</summary>
    public static Task<PostgresServer> StartOwnAsync() => StartAsync(givenServer: null);

    /// <summary>
    /// The server at <paramref name="givenServer"/>, or a throwaway one of its own (whatever <see cref="ServerVariable"/>
    /// says) started with <paramref name="extraSettings"/> (e.g. <c>-c shared_buffers=256MB</c>) after the usual ones.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(string? givenServer, string extraSettings = "")
    {
        var server = new PostgresServer { ownServer = true, givenServer = givenServer, extraSettings = extraSettings };
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when this fixture started the server (and so stops it).</summary>
    public bool StartedHere => folder is not null;

    /// <summary>The server's postmaster process, when this fixture started it (callers read its CPU).</summary>
    public int? PostmasterPid =>
        folder is not null && File.Exists(Path.Combine(DataFolder, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First(), out var pid) ? pid : null;

    private string? givenServer;
    private string extraSettings = "";
    private bool ownServer;
    private string? serverOptions;

    /// <summary>Stops the server abruptly (clients see their connections drop); only for a server of its own.</summary>
    public Task StopAsync() => folder is null
        ? throw new InvalidOperationException("Only a throwaway server can be stopped.")
        : RunAsync(Path.Combine(binaries!, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], asPostgres: true);

    /// <summary>Starts a stopped server again, on the same port, with its data.</summary>
    public async Task StartAsync()
    {
        if (folder is null)
        {
            throw new InvalidOperationException("Only a throwaway server can be started.");
        }

        await RunAsync(Path.Combine(binaries!, "pg_ctl"),
            ["-D", DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", serverOptions!, "-w", "-t", "60", "start"], asPostgres: true);
        await WaitUntilReadyAsync(serverConnectionString);
    }

    public async Task InitializeAsync()
    {
        var external = ownServer ? givenServer : Environment.GetEnvironmentVariable(ServerVariable);
        serverConnectionString = string.IsNullOrWhiteSpace(external) ? await StartThrowawayServerAsync() : external;
        await WaitUntilReadyAsync(serverConnectionString);
        ConnectionString = await CreateDatabaseAsync("fixture");
    }

    /// <summary>Creates an empty database named after <paramref name="name"/> plus a unique suffix.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        // At most 9 + 20 + 1 + 32 characters: within PostgreSQL's 63-byte identifier limit.
        var database = $"coaching_{Sanitize(name)}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        lock (createdDatabases)
        {
            createdDatabases.Add(database);
        }

        // Idle pooled connections close within seconds: the pools of tests that have finished (their silos' providers
        // and their own queries) would otherwise hold the server's connections for five minutes each.
        return new NpgsqlConnectionStringBuilder(serverConnectionString)
        {
            Database = database,
            Pooling = true,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (folder is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }

        try
        {
            await RunAsync(Path.Combine(binaries!, "pg_ctl"), ["-D", DataFolder, "-m", "fast", "-w", "stop"], asPostgres: true);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private string DataFolder => Path.Combine(folder!, "data");

    private async Task<string> StartThrowawayServerAsync()
    {
        binaries = await FindBinariesAsync();
        folder = Path.Combine(Path.GetTempPath(), "coaching-pg-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        await RunAsync(Path.Combine(binaries, "initdb"),
            ["-D", DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);

        var port = FreePort.Next();
        // An unusual server time zone makes any timestamp-without-time-zone slip show up as a failing test.
        serverOptions = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c timezone=Pacific/Chatham {extraSettings}".TrimEnd();
        await RunAsync(Path.Combine(binaries, "pg_ctl"),
            ["-D", DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], asPostgres: true);

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
    }

    private static async Task<string> FindBinariesAsync()
    {
        var candidates = new List<string>();
        try
        {
            candidates.Add((await RunAsync("pg_config", ["--bindir"], asPostgres: false)).Trim());
        }
        catch (InvalidOperationException)
        {
            // pg_config is optional: fall back to the Debian/Ubuntu layout below.
        }

        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var major) ? major : 0)
                .Select(v => Path.Combine(v, "bin")));
        }

        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"No PostgreSQL server binaries (initdb, pg_ctl) found via 'pg_config --bindir' or /usr/lib/postgresql/*/bin. " +
                $"Install PostgreSQL or set {ServerVariable} to a connection string of a server the tests may create databases on.");
    }

    private static async Task WaitUntilReadyAsync(string connectionString)
    {
        var giveUpAt = DateTime.UtcNow + ReadinessTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync();
                return;
            }
            catch (Exception ex) when ((ex is NpgsqlException or SocketException) && DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(250);
            }
        }
    }

    private async Task DropCreatedDatabasesAsync()
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        foreach (var database in createdDatabases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
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
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
            }

            return await output;
        }
    }

    private static string Sanitize(string name) =>
        new(name.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(20).ToArray());
}

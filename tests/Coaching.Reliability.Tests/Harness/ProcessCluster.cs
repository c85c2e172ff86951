using System.Globalization;
using System.Net.Http.Headers;
using Coaching.Testing;

namespace Coaching.Reliability.Tests.Harness;

/// <summary>
/// Two headless silo processes and one API process in client mode on loopback, on one PostgreSQL database.
/// Ports are fixed for the cluster's life, so a restarted process comes back where it was.
/// Everything still running is killed on dispose.
/// </summary>
public sealed class ProcessCluster : IDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly string clusterId;
    private readonly string connectionString;

    public ProcessCluster(string connectionString, string clusterId, TimeSpan reminderMinimumPeriod)
    {
        this.connectionString = connectionString;
        this.clusterId = clusterId;
        LogFolder = Path.Combine(Path.GetTempPath(), $"coaching-reliability-{clusterId}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        System.IO.Directory.CreateDirectory(LogFolder);
        var period = reminderMinimumPeriod.ToString("c", CultureInfo.InvariantCulture);

        Silos =
        [
            new ClusterProcess("silo-1", SiloDll, SiloEnvironment(FreePort.Next(), FreePort.Next(), period), [], Path.Combine(LogFolder, "silo-1.log")),
            new ClusterProcess("silo-2", SiloDll, SiloEnvironment(FreePort.Next(), FreePort.Next(), period), [], Path.Combine(LogFolder, "silo-2.log")),
        ];

        ApiPort = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}");
        var api = Common(period);
        api["Coaching__Mode"] = "Client";
        api["Authentication__Schemes__Bearer__ValidIssuer"] = Tokens.Issuer;
        api["Authentication__Schemes__Bearer__ValidAudiences__0"] = Tokens.Audience;
        api["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Tokens.Issuer;
        api["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Tokens.SigningKey;
        api["Coaching__RateLimits__IngestionRequestsPerSecond"] = "100000";
        api["Coaching__RateLimits__IngestionBurst"] = "100000";
        // Seeding and read-back go through people routes as one admin, faster than a person would.
        api["Coaching__RateLimits__UserRequestsPerSecond"] = "100000";
        api["Coaching__RateLimits__UserBurst"] = "100000";
        Api = new ClusterProcess("api", ApiDll, api, ["--urls", BaseAddress.ToString().TrimEnd('/')], Path.Combine(LogFolder, "api.log"));
    }

    public string LogFolder { get; }

    public IReadOnlyList<ClusterProcess> Silos { get; }

    public ClusterProcess Api { get; }

    public int ApiPort { get; }

    public Uri BaseAddress { get; }

    public IEnumerable<ClusterProcess> All => [.. Silos, Api];

    public static string SiloDll => BuiltDll("Silo", "Coaching.Silo.dll");

    public static string ApiDll => BuiltDll("Api", "Coaching.Api.dll");

    /// <summary>Starts both silos, then the API, and waits until the API says it is ready.</summary>
    public async Task StartAllAsync()
    {
        foreach (var silo in Silos)
        {
            silo.Start();
        }

        Api.Start();
        await WaitReadyAsync(ReadyTimeout);
    }

    /// <summary>SIGTERM to every process (the API first), each given <paramref name="within"/> to exit.</summary>
    public async Task StopAllAsync(TimeSpan within)
    {
        await Api.StopAsync(within);
        await Task.WhenAll(Silos.Select(s => s.StopAsync(within)));
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var giveUpAt = DateTime.UtcNow + within;
        var last = "no answer";
        while (DateTime.UtcNow < giveUpAt)
        {
            foreach (var process in All.Where(p => !p.Running && p.Starts > 0))
            {
                throw new InvalidOperationException($"{process.Name} exited while waiting for readiness:\n{process.Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"API not ready within {within}: {last}\n{Diagnostics()}");
    }

    public HttpClient Client(string userId, string[] roles, string[]? permissions = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.For(userId, roles, permissions, expires: DateTime.UtcNow.AddHours(6)));
        return client;
    }

    public HttpClient Admin() => Client("u-admin", ["coaching.admin"]);

    public HttpClient Integration(TimeSpan? timeout = null) => Client("svc-integration", ["integration"], timeout: timeout);

    /// <summary>The last lines of every process' log, for failure messages.</summary>
    public string Diagnostics() => string.Join("\n", All.Select(p => $"==== {p.Name} (running: {p.Running}, log {p.LogFile})\n{p.Tail(25)}"));

    public void Dispose()
    {
        foreach (var process in All)
        {
            process.Dispose();
        }
    }

    private Dictionary<string, string> SiloEnvironment(int siloPort, int gatewayPort, string period)
    {
        var environment = Common(period);
        environment["Coaching__Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        environment["Coaching__Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    private Dictionary<string, string> Common(string period) => new()
    {
        ["ConnectionStrings__Coaching"] = connectionString,
        ["Coaching__Cluster__ClusterId"] = clusterId,
        ["Coaching__Cluster__ServiceId"] = "coaching-reliability",
        ["Coaching__Cluster__AdvertisedIPAddress"] = "127.0.0.1",
        ["Coaching__Reminders__MinimumPeriod"] = period,
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
    };

    /// <summary>The solution build's output of src/<paramref name="project"/>, in the same configuration as this test assembly.</summary>
    private static string BuiltDll(string project, string dll)
    {
        // <repo>/tests/Coaching.Reliability.Tests/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var repo = here;
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "Coaching.sln")))
        {
            repo = repo.Parent;
        }

        if (repo is null)
        {
            throw new InvalidOperationException($"No Coaching.sln above {AppContext.BaseDirectory}.");
        }

        var path = Path.Combine(repo.FullName, "src", project, "bin", configuration, tfm, dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/{project} first ({configuration}): {path} is missing.", path);
    }
}

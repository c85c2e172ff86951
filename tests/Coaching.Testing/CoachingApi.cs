using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace Coaching.Testing;

/// <summary>
/// The real API host (co-hosted silo, real Kestrel on a loopback port) with test tokens accepted.
/// Extra settings switch it to PostgreSQL or client mode; each instance gets its own ports.
/// </summary>
public class CoachingApi : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly ShiftedClock? clock;

    /// <param name="extra">Settings on top of the defaults.</param>
    /// <param name="clock">When given, the clock of the co-hosted silo's grains, timers and reminders (<see cref="ShiftedClock.Install"/>).</param>
    public CoachingApi(IDictionary<string, string?>? extra = null, ShiftedClock? clock = null)
    {
        this.clock = clock;
        settings = new Dictionary<string, string?>(Tokens.HostSettings())
        {
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Tests write their own directory; the console tests ask for the demo organisation.
            ["Coaching:Demo:Seed"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        UseKestrel(0);
    }

    public IReadOnlyDictionary<string, string?> Settings => settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Host settings reach Program before it reads configuration to set up Orleans; settings added through
        // ConfigureAppConfiguration only arrive once the app is built, too late for the silo and its storage.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (clock is not null)
        {
            builder.ConfigureTestServices(clock.Install);
        }
    }

    /// <summary>A client that calls as the given user.</summary>
    public HttpClient As(string userId, string[]? roles = null, string[]? permissions = null) =>
        WithToken(Tokens.For(userId, roles, permissions));

    /// <summary>A client that sends this bearer token, e.g. one minted with an odd subject or lifetime.</summary>
    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    public HttpClient Admin() => As("u-admin", ["coaching.admin"]);

    public HttpClient Integration() => As("svc-integration", ["integration"]);
}

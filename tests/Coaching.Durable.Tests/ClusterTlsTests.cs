using System.Collections.Concurrent;
using System.Diagnostics;
using Coaching.Durable.Tests.Grains;
using Coaching.Silo;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Coaching.Durable.Tests;

/// <summary>
/// Mutual TLS between silos and clients over real loopback sockets, with PostgreSQL membership, configured only through
/// <c>Coaching:Cluster:Tls</c> and certificate files made for the test by a private CA.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTlsTests(PostgresServer postgres) : IDisposable
{
    // A refused member must find out in seconds; the handshake itself is bounded by the same figure.
    private static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(15);

    private readonly TestCertificates certificates = new();

    [Fact]
    public async Task Two_silos_and_a_client_with_certificates_of_the_cluster_CA_join_over_TLS_and_call_grains_on_both_silos()
    {
        var database = await postgres.CreateDatabaseAsync("tls_pair");
        var pfx = certificates.IssuePfx("silo-1");
        var firstSettings = WithTls(SiloUnderTest.DurableConfiguration(database, "tls-pair"), pfx.Path, password: TestCertificates.PfxPassword);
        var pem = certificates.IssuePem("silo-2");
        var secondSettings = WithTls(SiloUnderTest.DurableConfiguration(database, "tls-pair"), pem.CertificatePath, keyPath: pem.KeyPath);
        var api = certificates.IssuePem("api");
        var clientSettings = WithTls(SiloUnderTest.DurableConfiguration(database, "tls-pair"), api.CertificatePath, keyPath: api.KeyPath);
        var refusals = new ConcurrentQueue<string>();
        var hosts = new List<IHost>();
        try
        {
            var silos = await Task.WhenAll(
                SiloUnderTest.StartSiloAsync(firstSettings, services => CaptureRefusals(services, refusals)),
                SiloUnderTest.StartSiloAsync(secondSettings, services => CaptureRefusals(services, refusals)));
            hosts.AddRange(silos);
            await SiloUnderTest.AssertOneClusterAsync(silos);

            var clientHost = await SiloUnderTest.StartClientAsync(clientSettings);
            hosts.Add(clientHost);
            var client = clientHost.Services.GetRequiredService<IClusterClient>();

            var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(async n =>
            {
                var journal = client.GetGrain<IJournalGrain>($"tls-{n}");
                await journal.Write("over TLS", DateTimeOffset.UnixEpoch);
                return (await journal.Read()).Entries.Count;
            }));
            Assert.All(counts, count => Assert.Equal(1, count));

            // The statistics come from every silo over the silo-to-silo connections; the journals live on both silos.
            var statistics = await client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
            var silosWithJournals = statistics
                .Where(s => s.GrainType.Contains("Journal", StringComparison.Ordinal) && s.ActivationCount > 0)
                .Select(s => s.SiloAddress)
                .Distinct()
                .Count();
            Assert.Equal(2, silosWithJournals);
            Assert.Empty(refusals);
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await SiloUnderTest.StopAsync(host);
            }
        }
    }

    [Fact]
    public async Task A_client_or_a_silo_without_a_certificate_of_the_cluster_CA_is_refused_within_seconds()
    {
        var database = await postgres.CreateDatabaseAsync("tls_refused");
        var pfx = certificates.IssuePfx("silo-1");
        var siloSettings = WithTls(SiloUnderTest.DurableConfiguration(database, "tls-refused"), pfx.Path, password: TestCertificates.PfxPassword);
        var refusals = new ConcurrentQueue<string>();
        var silo = await SiloUnderTest.StartSiloAsync(siloSettings, services => CaptureRefusals(services, refusals));
        try
        {
            // Same name and usages as ours, self-signed: it trusts our CA (which is no secret), but the silo does not trust it.
            var stranger = certificates.SelfSignedPem("api");
            var strangerSettings = WithTls(
                SiloUnderTest.DurableConfiguration(database, "tls-refused"), stranger.CertificatePath, keyPath: stranger.KeyPath);
            await AssertRefusedAsync(() => StartClientAndCallAsync(strangerSettings));
            Assert.Contains(refusals, line => line.Contains("CN=api", StringComparison.Ordinal));

            // No TLS at all: the silo's handshake reads Orleans' preamble instead of a ClientHello and drops the connection.
            await AssertRefusedAsync(() => StartClientAndCallAsync(SiloUnderTest.DurableConfiguration(database, "tls-refused")));

            var strangerSilo = certificates.SelfSignedPem("silo-2");
            var strangerSiloSettings = WithTls(
                SiloUnderTest.DurableConfiguration(database, "tls-refused"), strangerSilo.CertificatePath, keyPath: strangerSilo.KeyPath);
            await AssertRefusedAsync(() => SiloUnderTest.StartSiloAsync(strangerSiloSettings, services =>
            {
                services.Configure<ClusterMembershipOptions>(options => options.MaxJoinAttemptTime = TimeSpan.FromSeconds(5));
                // Declared dead after its failed join, a silo ends its process; here that process is the test run.
                services.AddSingleton<IFatalErrorHandler, OutlivedFatalError>();
            }));
            Assert.Contains(refusals, line => line.Contains("CN=silo-2", StringComparison.Ordinal));

            Assert.Equal(1, SiloUnderTest.ActiveSilos(silo));

            // The cluster itself still takes a client that holds one of its certificates.
            var api = certificates.IssuePem("api");
            var member = await StartClientAndCallAsync(WithTls(
                SiloUnderTest.DurableConfiguration(database, "tls-refused"), api.CertificatePath, keyPath: api.KeyPath));
            await SiloUnderTest.StopAsync(member);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    public void Dispose() => certificates.Dispose();

    private Dictionary<string, string?> WithTls(
        Dictionary<string, string?> settings, string certificatePath, string? keyPath = null, string? password = null)
    {
        settings["Coaching:Cluster:Tls:Enabled"] = "true";
        settings["Coaching:Cluster:Tls:CertificatePath"] = certificatePath;
        settings["Coaching:Cluster:Tls:PrivateKeyPath"] = keyPath;
        settings["Coaching:Cluster:Tls:CertificatePassword"] = password;
        settings["Coaching:Cluster:Tls:CaCertificatePath"] = certificates.AuthorityPath;
        settings["Coaching:Cluster:Tls:HandshakeTimeout"] = "00:00:05";
        return settings;
    }

    /// <summary>A coaching client that gives up on the cluster quickly, then one grain call through it.</summary>
    private static async Task<IHost> StartClientAndCallAsync(Dictionary<string, string?> settings)
    {
        var host = await SiloUnderTest.StartClientAsync(settings, client =>
        {
            client.UseCoachingClient();
            // One failed connection ends the start instead of the default retrying until the host's own timeout.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            client.Configure<ConnectionOptions>(options => options.OpenConnectionTimeout = TimeSpan.FromSeconds(5));
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        try
        {
            await host.Services.GetRequiredService<IClusterClient>().GetGrain<IJournalGrain>("tls-member").Write("in", DateTimeOffset.UnixEpoch);
            return host;
        }
        catch
        {
            await SiloUnderTest.StopAsync(host);
            throw;
        }
    }

    private static async Task AssertRefusedAsync(Func<Task<IHost>> join)
    {
        var clock = Stopwatch.StartNew();
        var attempt = join();
        var finished = await Task.WhenAny(attempt, Task.Delay(RefusedWithin));
        Assert.True(finished == attempt, $"still trying to join after {RefusedWithin}");
        if (attempt.IsCompletedSuccessfully)
        {
            await SiloUnderTest.StopAsync(attempt.Result);
            Assert.Fail("joined without a certificate of the cluster CA");
        }

        Assert.True(clock.Elapsed < RefusedWithin);
    }

    private static void CaptureRefusals(IServiceCollection services, ConcurrentQueue<string> refusals) =>
        services.AddSingleton<ILoggerProvider>(new RefusalLog(refusals));

    /// <summary>Leaves the process alive when a silo that could not join is told it is dead.</summary>
    private sealed class OutlivedFatalError : IFatalErrorHandler
    {
        public bool IsUnexpected(Exception exception) => true;

        public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
        {
        }
    }

    /// <summary>Keeps the lines in which <see cref="ClusterTls"/> refuses a peer's certificate.</summary>
    private sealed class RefusalLog(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => categoryName == typeof(ClusterTls).FullName
            ? new Logger(lines)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}

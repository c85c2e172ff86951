using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Coaching.Silo;

/// <summary>
/// This process's side of mutual TLS between silos and clients (<see cref="ClusterTlsOptions"/>): its own certificate,
/// and which peers it accepts. Both ends require a certificate, and the peer's is checked against the configured
/// authorities and thumbprints only, never the machine's trust store, so a certificate from any public CA does not get in.
/// </summary>
public sealed partial class ClusterTls
{
    private readonly X509Certificate2Collection authorities;
    private readonly HashSet<string> allowedThumbprints;
    private readonly ILogger<ClusterTls> logger;

    public ClusterTls(IOptions<ClusterTlsOptions> options, ILogger<ClusterTls> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        this.logger = logger;
        allowedThumbprints = settings.AllowedThumbprints
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Select(NormalizeThumbprint)
            .ToHashSet(StringComparer.Ordinal);
        if (!settings.Enabled)
        {
            authorities = [];
            return;
        }

        authorities = LoadAuthorities(settings.CaCertificatePath);
        Certificate = LoadCertificate(settings);
        Connections = new TlsOptions
        {
            LocalCertificate = Certificate,
            // Both ends present a certificate: silos ask every connection for one, clients and silos dialing out send theirs.
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = Accepts,
            HandshakeTimeout = settings.HandshakeTimeout,
        };
    }

    /// <summary>This process's certificate; null when TLS is off.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The settings Orleans' TLS connection middleware runs with; null when TLS is off.</summary>
    public TlsOptions? Connections { get; }

    /// <summary>
    /// Whether a peer's certificate is one of ours: it chains to a configured authority (built here with only those as
    /// roots; the platform's verdict is not used) and, when thumbprints are listed, is one of them. Host names are not
    /// compared: silos are dialed by IP address, and the authority vouches for the peer instead.
    /// </summary>
    public bool Accepts(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors policyErrors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var refusal = Refusal(certificate, chain);
        if (refusal is null)
        {
            return true;
        }

        LogRefused(certificate.Subject, certificate.Thumbprint, refusal);
        return false;
    }

    private string? Refusal(X509Certificate2 certificate, X509Chain? presented)
    {
        if (authorities.Count > 0)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            // Intermediates the peer sent along with its certificate.
            foreach (var element in presented?.ChainElements ?? Enumerable.Empty<X509ChainElement>())
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }

            if (!chain.Build(certificate))
            {
                return "it does not chain to the configured CA: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            }
        }
        else if (DateTime.Now < certificate.NotBefore || DateTime.Now > certificate.NotAfter)
        {
            return "it is outside its validity period";
        }

        if (allowedThumbprints.Count > 0
            && !allowedThumbprints.Contains(certificate.Thumbprint)
            && !allowedThumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256)))
        {
            return "its thumbprint is not among AllowedThumbprints";
        }

        return null;
    }

    private static string NormalizeThumbprint(string thumbprint) =>
        thumbprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static X509Certificate2Collection LoadAuthorities(string? path)
    {
        var collection = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(path))
        {
            return collection;
        }

        if (IsPem(path))
        {
            collection.ImportFromPemFile(path);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return collection.Count > 0
            ? collection
            : throw new InvalidOperationException($"{ClusterTlsOptions.Section}:CaCertificatePath '{path}' holds no certificate.");
    }

    private static X509Certificate2 LoadCertificate(ClusterTlsOptions settings)
    {
        var certificate = settings.FromStore ? FromStore(settings) : FromFile(settings);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}: the certificate {certificate.Subject} ({certificate.Thumbprint}) has no private key.");
        }

        return certificate;
    }

    private static X509Certificate2 FromFile(ClusterTlsOptions settings)
    {
        var path = settings.CertificatePath!;
        if (!IsPem(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword);
        }

        var pem = string.IsNullOrEmpty(settings.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, settings.PrivateKeyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, settings.CertificatePassword, settings.PrivateKeyPath);
        // Windows' TLS stack cannot use the ephemeral key a PEM file loads into; a PKCS#12 round trip gives it a usable one.
        return OperatingSystem.IsWindows()
            ? X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)
            : pem;
    }

    private static X509Certificate2 FromStore(ClusterTlsOptions settings)
    {
        using var store = new X509Store(settings.StoreName, settings.StoreLocation);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var found = string.IsNullOrWhiteSpace(settings.CertificateThumbprint)
            ? store.Certificates.Find(X509FindType.FindBySubjectName, settings.CertificateSubject!, validOnly: false)
            : store.Certificates.Find(X509FindType.FindByThumbprint, NormalizeThumbprint(settings.CertificateThumbprint), validOnly: false);
        var now = DateTime.Now;
        return found
            .Where(c => c.HasPrivateKey && c.NotBefore <= now && now <= c.NotAfter)
            .OrderByDescending(c => c.NotAfter)
            .FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"{ClusterTlsOptions.Section}: no certificate with a private key, valid now, matches " +
                $"{settings.CertificateThumbprint ?? settings.CertificateSubject} in {settings.StoreLocation}/{settings.StoreName}.");
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var start = new char[64];
        var read = reader.ReadBlock(start, 0, start.Length);
        return new string(start, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a cluster connection's certificate {Subject} ({Thumbprint}): {Reason}")]
    private partial void LogRefused(string subject, string thumbprint, string reason);
}

/// <summary>Puts <see cref="ClusterTls"/> on the silo's and the client's connections when it is enabled.</summary>
internal sealed class ClusterTlsConnections(IOptions<ClusterTlsOptions> options, IServiceProvider services)
    : IConfigureOptions<SiloConnectionOptions>, IConfigureOptions<ClientConnectionOptions>
{
    public void Configure(SiloConnectionOptions connections)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var tls = Tls;
        connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(tls));
        connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(tls));
        connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(tls));
    }

    public void Configure(ClientConnectionOptions connections)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var tls = Tls;
        connections.ConfigureConnection(connection => connection.UseClientTls(tls));
    }

    private TlsOptions Tls => services.GetRequiredService<ClusterTls>().Connections!;
}

public static class ClusterTlsHosting
{
    /// <summary>
    /// <see cref="ClusterTlsOptions"/> for a silo or a client: bound, checked at start, and applied to the connections;
    /// a <paramref name="clustered"/> process (reachable from the network, or reaching out to it) without TLS warns.
    /// </summary>
    public static IServiceCollection AddClusterTls(this IServiceCollection services, bool isSilo, bool clustered)
    {
        services.AddOptions<ClusterTlsOptions>().BindConfiguration(ClusterTlsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterTlsOptions>, ClusterTlsOptionsValidation>());
        services.TryAddSingleton<ClusterTls>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SiloConnectionOptions>, ClusterTlsConnections>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ClientConnectionOptions>, ClusterTlsConnections>());
        services.AddHostedService(provider =>
            new ClusterTlsAtStart(provider, provider.GetRequiredService<ILogger<ClusterTlsAtStart>>(), isSilo, clustered));
        return services;
    }
}

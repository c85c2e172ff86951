using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Coaching.Silo;

/// <summary>
/// Mutual TLS on the silo-to-silo and gateway connections, bound from <c>Coaching:Cluster:Tls</c>. Silos and clients
/// read the same section: each presents its own certificate and accepts only peers whose certificate chains to
/// <see cref="CaCertificatePath"/> and/or is one of <see cref="AllowedThumbprints"/>. Off by default: the ports then
/// trust whoever reaches them, and only the network can keep others out.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "Coaching:Cluster:Tls";

    public bool Enabled { get; set; }

    /// <summary>This process's certificate: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) or a PEM file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file, or of an encrypted PEM private key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM private key for a PEM <see cref="CertificatePath"/>; unset when the key is in the same file.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Instead of a file: the certificate in the store with this thumbprint.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Instead of a file: the newest valid certificate in the store with this subject name (eases rotation).</summary>
    public string? CertificateSubject { get; set; }

    public StoreName StoreName { get; set; } = StoreName.My;

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>
    /// PEM (one or more certificates) or DER file of the certificate authority peers' certificates must chain to. Only
    /// these authorities are trusted, not the machine's: use a CA that issues certificates for this cluster alone.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// Peers' certificate thumbprints (SHA-1 or SHA-256, hex; colons and spaces ignored). With a CA: a peer must chain to it
    /// and be listed; without: listed certificates (e.g. self-signed) are accepted while within their validity period.
    /// </summary>
    public List<string> AllowedThumbprints { get; } = [];

    /// <summary>A connection that has not finished its handshake by then is dropped.</summary>
    public ConfiguredDuration HandshakeTimeout { get; set; } = ConfiguredDuration.FromSeconds(10);

    internal bool FromStore => !string.IsNullOrWhiteSpace(CertificateThumbprint) || !string.IsNullOrWhiteSpace(CertificateSubject);
}

/// <summary>Says at start which TLS setting is missing or contradicts another, rather than failing at the first connection.</summary>
internal sealed class ClusterTlsOptionsValidation : IValidateOptions<ClusterTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var section = ClusterTlsOptions.Section;
        var fromFile = !string.IsNullOrWhiteSpace(options.CertificatePath);
        if (fromFile == options.FromStore)
        {
            failures.Add($"{section}: give this process's certificate either as CertificatePath or as CertificateThumbprint/CertificateSubject (one of them).");
        }

        if (!string.IsNullOrWhiteSpace(options.CertificateThumbprint) && !string.IsNullOrWhiteSpace(options.CertificateSubject))
        {
            failures.Add($"{section}: CertificateThumbprint and CertificateSubject name the same certificate; give one.");
        }

        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath) && !fromFile)
        {
            failures.Add($"{section}:PrivateKeyPath needs a PEM CertificatePath.");
        }

        if (string.IsNullOrWhiteSpace(options.CaCertificatePath) && options.AllowedThumbprints.All(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{section}: say which peers to accept: CaCertificatePath and/or AllowedThumbprints.");
        }

        foreach (var (key, path) in new[]
        {
            ("CertificatePath", options.CertificatePath),
            ("PrivateKeyPath", options.PrivateKeyPath),
            ("CaCertificatePath", options.CaCertificatePath),
        })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                failures.Add($"{section}:{key}: no file at '{path}'.");
            }
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:HandshakeTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

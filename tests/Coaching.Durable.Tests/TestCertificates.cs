using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coaching.Durable.Tests;

/// <summary>
/// A private certificate authority made for one test, the certificates it signs, and a stranger's self-signed one, written
/// to a temp folder as an operator would hand them over (PKCS#12 with a password, or PEM certificate and key).
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public const string PfxPassword = "test-only";

    private readonly DirectoryInfo folder = System.IO.Directory.CreateTempSubdirectory("coaching-tls-");
    private readonly X509Certificate2 authority;
    private readonly ECDsa authorityKey;

    public TestCertificates()
    {
        authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Coaching test cluster CA", authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        AuthorityPath = Write("ca.pem", authority.ExportCertificatePem());
    }

    /// <summary>The CA certificate (PEM) every member trusts.</summary>
    public string AuthorityPath { get; }

    /// <summary>A certificate signed by the CA, as a password-protected PKCS#12 file.</summary>
    public (string Path, string Thumbprint) IssuePfx(string name)
    {
        using var certificate = Issue(name, out var key);
        using (key)
        {
            return (Write($"{name}.pfx", certificate.Export(X509ContentType.Pkcs12, PfxPassword)), certificate.Thumbprint);
        }
    }

    /// <summary>A certificate signed by the CA, as a PEM certificate file and a PEM key file.</summary>
    public (string CertificatePath, string KeyPath) IssuePem(string name)
    {
        using var certificate = Issue(name, out var key);
        using (key)
        {
            return (Write($"{name}.crt", certificate.ExportCertificatePem()), Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
        }
    }

    /// <summary>A self-signed certificate with the same name and usages as ours: only the CA tells them apart.</summary>
    public (string CertificatePath, string KeyPath) SelfSignedPem(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(name, key);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (Write($"{name}-self-signed.crt", certificate.ExportCertificatePem()), Write($"{name}-self-signed.key", key.ExportPkcs8PrivateKeyPem()));
    }

    public void Dispose()
    {
        authority.Dispose();
        authorityKey.Dispose();
        folder.Delete(recursive: true);
    }

    private X509Certificate2 Issue(string name, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(name, key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var signed = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private static CertificateRequest LeafRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // Silos both accept connections and dial each other: server and client authentication.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.ASCII.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

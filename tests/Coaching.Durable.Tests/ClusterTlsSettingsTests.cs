using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Coaching.Silo;
using Coaching.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Coaching.Durable.Tests;

/// <summary><c>Coaching:Cluster:Tls</c> without a cluster: what a start refuses, where certificates come from, whom a silo accepts.</summary>
public sealed class ClusterTlsSettingsTests : IDisposable
{
    private readonly TestCertificates certificates = new();

    [Fact]
    public async Task Tls_enabled_without_a_certificate_or_trusted_peers_stops_the_silo_at_start_naming_the_settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:Tls:Enabled"] = "true",
            ["Coaching:Cluster:Tls:PrivateKeyPath"] = "/nowhere/silo.key",
        };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => SiloUnderTest.StartSiloAsync(settings));

        Assert.Contains("CertificatePath or as CertificateThumbprint/CertificateSubject", refused.Message, StringComparison.Ordinal);
        Assert.Contains("CaCertificatePath and/or AllowedThumbprints", refused.Message, StringComparison.Ordinal);
        Assert.Contains("PrivateKeyPath needs a PEM CertificatePath", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_the_silo_at_start()
    {
        var (path, _) = certificates.IssuePfx("silo-1");
        var settings = new Dictionary<string, string?>
        {
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:Tls:Enabled"] = "true",
            ["Coaching:Cluster:Tls:CertificatePath"] = path,
            ["Coaching:Cluster:Tls:CertificatePassword"] = "not-the-password",
            ["Coaching:Cluster:Tls:CaCertificatePath"] = certificates.AuthorityPath,
        };

        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => SiloUnderTest.StartSiloAsync(settings));
    }

    [Fact]
    public void A_peer_is_accepted_only_when_it_chains_to_the_CA_and_is_listed_when_thumbprints_are_given()
    {
        var (listedPath, listedThumbprint) = certificates.IssuePfx("silo-1");
        using var listed = X509CertificateLoader.LoadPkcs12FromFile(listedPath, TestCertificates.PfxPassword);
        using var unlisted = LoadPem(certificates.IssuePem("silo-2"));
        using var stranger = LoadPem(certificates.SelfSignedPem("silo-1"));

        var byAuthority = Trusting(listedPath, certificates.AuthorityPath);
        Assert.True(byAuthority.Accepts(listed, null, SslPolicyErrors.None));
        Assert.True(byAuthority.Accepts(unlisted, null, SslPolicyErrors.RemoteCertificateChainErrors));
        // The platform's verdict does not count either way: a stranger stays out even when it has no complaint.
        Assert.False(byAuthority.Accepts(stranger, null, SslPolicyErrors.None));

        var byAuthorityAndList = Trusting(listedPath, certificates.AuthorityPath, ToColonHex(listedThumbprint));
        Assert.True(byAuthorityAndList.Accepts(listed, null, SslPolicyErrors.None));
        Assert.False(byAuthorityAndList.Accepts(unlisted, null, SslPolicyErrors.None));

        var pinned = Trusting(listedPath, null, stranger.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant());
        Assert.True(pinned.Accepts(stranger, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(pinned.Accepts(listed, null, SslPolicyErrors.None));
    }

    [Fact]
    public void The_certificate_is_found_in_the_store_by_thumbprint_and_by_subject()
    {
        var (path, thumbprint) = certificates.IssuePfx($"store-{Guid.NewGuid():N}");
        using var issued = X509CertificateLoader.LoadPkcs12FromFile(path, TestCertificates.PfxPassword, X509KeyStorageFlags.Exportable);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(issued);
        try
        {
            var byThumbprint = Tls(new ClusterTlsOptions { Enabled = true, CertificateThumbprint = thumbprint, CaCertificatePath = certificates.AuthorityPath });
            Assert.Equal(thumbprint, byThumbprint.Certificate?.Thumbprint);
            Assert.True(byThumbprint.Certificate?.HasPrivateKey);

            var bySubject = Tls(new ClusterTlsOptions { Enabled = true, CertificateSubject = issued.GetNameInfo(X509NameType.SimpleName, false), CaCertificatePath = certificates.AuthorityPath });
            Assert.Equal(thumbprint, bySubject.Certificate?.Thumbprint);
        }
        finally
        {
            store.Remove(issued);
        }
    }

    public void Dispose() => certificates.Dispose();

    private static ClusterTls Tls(ClusterTlsOptions settings) => new(Options.Create(settings), NullLogger<ClusterTls>.Instance);

    /// <summary>This process holding the PKCS#12 certificate at <paramref name="ownPath"/>, trusting what is given.</summary>
    private static ClusterTls Trusting(string ownPath, string? authorityPath, params string[] thumbprints)
    {
        var settings = new ClusterTlsOptions
        {
            Enabled = true,
            CertificatePath = ownPath,
            CertificatePassword = TestCertificates.PfxPassword,
            CaCertificatePath = authorityPath,
        };
        settings.AllowedThumbprints.AddRange(thumbprints);
        return Tls(settings);
    }

    private static X509Certificate2 LoadPem((string CertificatePath, string KeyPath) files) =>
        X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);

    private static string ToColonHex(string thumbprint) =>
        string.Join(':', thumbprint.Chunk(2).Select(pair => new string(pair))).ToLowerInvariant();
}

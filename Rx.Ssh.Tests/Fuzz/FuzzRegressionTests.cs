using System.Security.Cryptography;

namespace Rx.Ssh.Tests.Fuzz;

/// <summary>Inputs the fuzzer found failing, each now answered with the documented error.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>P-256's OID in DER (1.2.840.10045.3.1.7), and the same with its last arc changed to one no platform knows.</summary>
    private static readonly byte[] P256Oid = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    private static string WithUnknownCurve(string pem, string label)
    {
        byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        int at = der.AsSpan().IndexOf(P256Oid);
        Assert.True(at >= 0);
        der[at + P256Oid.Length - 1] = 0x7F;
        return new string(PemEncoding.Write(label, der));
    }

    [Fact]
    public void A_sec1_key_on_an_unknown_curve_is_a_key_format_error()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = WithUnknownCurve(ec.ExportECPrivateKeyPem(), "EC PRIVATE KEY");

        Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(pem));
    }

    [Fact]
    public void A_pkcs8_key_on_an_unknown_curve_is_a_key_format_error()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = WithUnknownCurve(ec.ExportPkcs8PrivateKeyPem(), "PRIVATE KEY");

        Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(pem));
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----END PRIVATE KEY--------\nMIIC\n")]
    [InlineData("-----BEGIN X-----END X-----")]
    public void A_pem_end_line_overlapping_the_begin_line_is_a_key_format_error(string text) =>
        Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(text));
}

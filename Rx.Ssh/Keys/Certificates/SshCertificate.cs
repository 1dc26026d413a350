using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>
/// An OpenSSH certificate (<c>*-cert-v01@openssh.com</c>, PROTOCOL.certkeys): a public key with a
/// serial, a type (user or host), a key id, principals, a validity window, critical options and
/// extensions, signed by a certificate authority. It is itself an <see cref="SshPublicKey"/>: its
/// <see cref="SshPublicKey.KeyType"/> is the certificate type, its blob the certificate, and it
/// verifies signatures made by the certified key (<see cref="Key"/>).
/// </summary>
public sealed class SshCertificate : SshPublicKey
{
    /// <summary>The suffix OpenSSH appends to a key type or signature algorithm to name its certificate form.</summary>
    public const string Suffix = "-cert-v01@openssh.com";

    /// <summary>The <c>valid before</c> value that means "forever".</summary>
    public static readonly DateTimeOffset Forever = DateTimeOffset.MaxValue;

    private readonly string _certificateType;
    private readonly string[] _algorithms;
    private readonly int _signedLength;

    private SshCertificate(byte[] blob, string certificateType, int signedLength, Fields fields)
        : base(blob)
    {
        _certificateType = certificateType;
        _signedLength = signedLength;
        Nonce = fields.Nonce;
        Key = fields.Key;
        Serial = fields.Serial;
        Type = fields.Type;
        KeyId = fields.KeyId;
        Principals = fields.Principals;
        ValidAfterSeconds = fields.ValidAfter;
        ValidBeforeSeconds = fields.ValidBefore;
        CriticalOptions = fields.CriticalOptions;
        Extensions = fields.Extensions;
        SignatureKey = fields.SignatureKey;
        Signature = fields.Signature;
        _algorithms = [.. Key.SignatureAlgorithms.Where(a => a != RsaPublicKey.TypeName).Select(a => a + Suffix)];
    }

    /// <summary>The certificate type name, such as <c>ssh-ed25519-cert-v01@openssh.com</c>.</summary>
    public override string KeyType => _certificateType;

    /// <summary>The public-key algorithm names this certificate authenticates with, such as <c>rsa-sha2-512-cert-v01@openssh.com</c>.</summary>
    public override IReadOnlyList<string> SignatureAlgorithms => _algorithms;

    /// <summary>The CA-chosen random nonce.</summary>
    public ReadOnlyMemory<byte> Nonce { get; }

    /// <summary>The certified public key.</summary>
    public SshPublicKey Key { get; }

    /// <summary>The CA-assigned serial number (0 when the CA did not set one).</summary>
    public ulong Serial { get; }

    /// <summary>User or host certificate.</summary>
    public SshCertificateType Type { get; }

    /// <summary>The key id the CA put in (it appears in server logs).</summary>
    public string KeyId { get; }

    /// <summary>The user or host names the certificate is valid for; empty means any (OpenSSH refuses such user certificates unless a <c>principals=</c> list applies).</summary>
    public IReadOnlyList<string> Principals { get; }

    /// <summary>The start of the validity window in seconds since the Unix epoch (0: always valid).</summary>
    public ulong ValidAfterSeconds { get; }

    /// <summary>The end of the validity window in seconds since the Unix epoch (<see cref="ulong.MaxValue"/>: forever).</summary>
    public ulong ValidBeforeSeconds { get; }

    /// <summary>The start of the validity window (<see cref="DateTimeOffset.MinValue"/> when unbounded).</summary>
    public DateTimeOffset ValidAfter => ToTime(ValidAfterSeconds, DateTimeOffset.MinValue);

    /// <summary>The end of the validity window (<see cref="Forever"/> when unbounded).</summary>
    public DateTimeOffset ValidBefore => ToTime(ValidBeforeSeconds, Forever);

    /// <summary>Critical options by name (<c>force-command</c>, <c>source-address</c>, <c>verify-required</c>), each with its value (empty for flags).</summary>
    public IReadOnlyDictionary<string, string> CriticalOptions { get; }

    /// <summary>Extensions by name (<c>permit-pty</c>, <c>permit-port-forwarding</c>, ...), each with its value (empty for flags).</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; }

    /// <summary>The CA key that signed the certificate.</summary>
    public SshPublicKey SignatureKey { get; }

    /// <summary>The CA's signature blob (<c>string algorithm, string signature</c>).</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The <c>force-command</c> critical option, or null.</summary>
    public string? ForceCommand => CriticalOptions.GetValueOrDefault("force-command");

    /// <summary>The <c>source-address</c> critical option (comma-separated addresses and CIDR blocks), or null.</summary>
    public string? SourceAddress => CriticalOptions.GetValueOrDefault("source-address");

    /// <summary>Whether the <c>verify-required</c> critical option (FIDO user verification) is present.</summary>
    public bool VerifyRequired => CriticalOptions.ContainsKey("verify-required");

    /// <summary>Whether the <c>permit-pty</c> extension is present.</summary>
    public bool PermitPty => Extensions.ContainsKey("permit-pty");

    /// <summary>Whether the <c>permit-port-forwarding</c> extension is present.</summary>
    public bool PermitPortForwarding => Extensions.ContainsKey("permit-port-forwarding");

    /// <summary>Whether the <c>permit-agent-forwarding</c> extension is present.</summary>
    public bool PermitAgentForwarding => Extensions.ContainsKey("permit-agent-forwarding");

    /// <summary>Whether the <c>permit-X11-forwarding</c> extension is present.</summary>
    public bool PermitX11Forwarding => Extensions.ContainsKey("permit-X11-forwarding");

    /// <summary>Whether the <c>permit-user-rc</c> extension is present.</summary>
    public bool PermitUserRc => Extensions.ContainsKey("permit-user-rc");

    /// <summary>Whether <paramref name="keyType"/> names a certificate type (ends with <see cref="Suffix"/>).</summary>
    public static bool IsCertificateType(string keyType) => keyType is not null && keyType.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>
    /// The plain signature algorithm a certificate algorithm signs with: <c>rsa-sha2-256-cert-v01@openssh.com</c>
    /// gives <c>rsa-sha2-256</c>; a name that is not a certificate algorithm is returned unchanged.
    /// </summary>
    public static string BaseAlgorithm(string algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return IsCertificateType(algorithm) ? algorithm[..^Suffix.Length] : algorithm;
    }

    /// <summary>
    /// Verifies a signature made by the certified key. The signature blob names the plain algorithm
    /// (<c>ssh-ed25519</c>, <c>rsa-sha2-512</c>...), as in public key authentication with a certificate.
    /// </summary>
    public override bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob) =>
        Key.VerifySignature(data, signatureBlob);

    /// <summary>
    /// Checks the CA's signature over the certificate. RSA CAs must have signed with
    /// <c>rsa-sha2-256</c> or <c>rsa-sha2-512</c> (SHA-1 <c>ssh-rsa</c> signatures are refused, as OpenSSH does).
    /// </summary>
    public bool VerifyCaSignature()
    {
        if (!SshSignature.TryDecode(Signature.Span, out string algorithm, out _)
            || algorithm == RsaPublicKey.TypeName
            || !SignatureKey.SignatureAlgorithms.Contains(algorithm))
        {
            return false;
        }

        return SignatureKey.VerifySignature(Blob.Span[.._signedLength], Signature.Span);
    }

    /// <summary>Whether <paramref name="now"/> is inside the validity window (after <see cref="ValidAfter"/>, before <see cref="ValidBefore"/>).</summary>
    public bool IsValidAt(DateTimeOffset now)
    {
        long seconds = now.ToUnixTimeSeconds();
        return seconds >= 0 && (ulong)seconds >= ValidAfterSeconds && (ulong)seconds < ValidBeforeSeconds;
    }

    /// <summary>
    /// Checks everything but trust in the CA: the CA signature, the type, the validity window at
    /// <paramref name="now"/> and, when <paramref name="principal"/> is given, that it is one of
    /// <see cref="Principals"/> (a certificate without principals matches none, as in OpenSSH).
    /// A host certificate with any critical option is refused (<see cref="SshCertificateProblem.UnsupportedOption"/>):
    /// none is defined for host certificates, so one present is one the verifier cannot honour.
    /// </summary>
    /// <exception cref="SshCertificateException">The certificate is refused; <see cref="SshCertificateException.Problem"/> says why.</exception>
    public void Validate(SshCertificateType expectedType, DateTimeOffset now, string? principal)
    {
        if (!VerifyCaSignature())
        {
            throw new SshCertificateException(SshCertificateProblem.BadSignature, $"certificate '{KeyId}': the CA signature ({SignatureKey}) does not verify; re-sign it with 'ssh-keygen -s'");
        }

        if (Type != expectedType)
        {
            throw new SshCertificateException(SshCertificateProblem.WrongType, $"certificate '{KeyId}' is a {Type.ToString().ToLowerInvariant()} certificate, but a {expectedType.ToString().ToLowerInvariant()} certificate is needed{(expectedType == SshCertificateType.Host ? " (sign host keys with 'ssh-keygen -h')" : " (sign user keys without 'ssh-keygen -h')")}");
        }

        if (Type == SshCertificateType.Host && CriticalOptions.Count > 0)
        {
            throw new SshCertificateException(SshCertificateProblem.UnsupportedOption, $"host certificate '{KeyId}' has critical options ({string.Join(", ", CriticalOptions.Keys)}), which no host certificate may carry; re-sign it without 'ssh-keygen -O'");
        }

        if (!IsValidAt(now))
        {
            bool early = now.ToUnixTimeSeconds() < 0 || (ulong)now.ToUnixTimeSeconds() < ValidAfterSeconds;
            throw early
                ? new SshCertificateException(SshCertificateProblem.NotYetValid, $"certificate '{KeyId}' is not valid until {ValidAfter:u} (now {now:u}); check the clock or re-sign with an earlier 'ssh-keygen -V' start")
                : new SshCertificateException(SshCertificateProblem.Expired, $"certificate '{KeyId}' expired at {ValidBefore:u} (now {now:u}); re-sign it with a new 'ssh-keygen -V' window");
        }

        if (principal is not null && !Principals.Contains(principal))
        {
            string listed = Principals.Count == 0 ? "no principals" : "principals " + string.Join(", ", Principals);
            throw new SshCertificateException(SshCertificateProblem.WrongPrincipal, $"certificate '{KeyId}' is not valid for '{principal}' (it lists {listed}); re-sign it with 'ssh-keygen -n {principal}'");
        }
    }

    /// <summary>
    /// Checks the <c>source-address</c> critical option against the peer's address; passes when the option is absent.
    /// </summary>
    /// <exception cref="SshCertificateException">The address is not listed, or the option is malformed.</exception>
    public void ValidateSourceAddress(IPAddress? address)
    {
        if (SourceAddress is not { } list)
        {
            return;
        }

        if (address is null || !SourcePattern.Matches(list, null, address))
        {
            throw new SshCertificateException(SshCertificateProblem.SourceAddress, $"certificate '{KeyId}' may only be used from {list}, not from {address?.ToString() ?? "an unknown address"}");
        }
    }

    /// <summary>Whether a key blob starts with a certificate type name.</summary>
    internal static bool IsCertificateBlob(ReadOnlySpan<byte> blob)
    {
        try
        {
            var reader = new SshReader(blob);
            return IsCertificateType(reader.ReadAsciiString());
        }
        catch (SshFormatException)
        {
            return false;
        }
    }

    /// <summary>Decodes a certificate blob.</summary>
    /// <exception cref="SshKeyFormatException">The blob is truncated, malformed or of an unsupported type.</exception>
    public static SshCertificate FromBlob(ReadOnlyMemory<byte> blob)
    {
        return FromOwnedBlob(blob.ToArray());
    }

    /// <summary>Decodes a certificate blob the new certificate may keep (no copy is made).</summary>
    /// <exception cref="SshKeyFormatException">The blob is truncated, malformed or of an unsupported type.</exception>
    internal static SshCertificate FromOwnedBlob(byte[] blob)
    {
        try
        {
            return Read(blob);
        }
        catch (SshFormatException e)
        {
            throw new SshKeyFormatException($"the certificate is truncated or malformed: {e.Message}", e);
        }
    }

    /// <summary>Parses one certificate line (<c>type base64 [comment]</c>, the format of <c>*-cert.pub</c> files).</summary>
    /// <exception cref="SshKeyFormatException">The line is not a well-formed certificate.</exception>
    public static new SshCertificate Parse(string openSshLine)
    {
        ArgumentNullException.ThrowIfNull(openSshLine);
        string[] parts = openSshLine.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !IsCertificateType(parts[0]))
        {
            throw new SshKeyFormatException($"not a certificate line: expected '<type>{Suffix} <base64>'");
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException e)
        {
            throw new SshKeyFormatException("the certificate data is not valid base64", e);
        }

        SshCertificate certificate = FromBlob(blob);
        if (certificate.KeyType != parts[0])
        {
            throw new SshKeyFormatException($"the line says '{parts[0]}' but the certificate is '{certificate.KeyType}'");
        }

        return certificate;
    }

    /// <summary>Reads a <c>*-cert.pub</c> file: its first line that is neither empty nor a comment.</summary>
    /// <exception cref="SshKeyFormatException">The file holds no well-formed certificate; the message names the file.</exception>
    public static new SshCertificate Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParseFirstLine(File.ReadLines(path), path, Parse, "certificate");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{KeyType} '{KeyId}' serial {Serial} of {Key.GetFingerprint()} by {SignatureKey.GetFingerprint()}";

    private static DateTimeOffset ToTime(ulong seconds, DateTimeOffset unbounded)
    {
        if (seconds == 0 && unbounded == DateTimeOffset.MinValue)
        {
            return unbounded;
        }

        return seconds >= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? unbounded : DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }

    private static SshCertificate Read(byte[] blob)
    {
        var reader = new SshReader(blob);
        string certificateType = reader.ReadAsciiString();
        if (!IsCertificateType(certificateType))
        {
            throw new SshKeyFormatException($"'{certificateType}' is not a certificate type (expected a name ending in {Suffix})");
        }

        string keyType = certificateType[..^Suffix.Length];
        ReadOnlyMemory<byte> nonce = Slice(blob, ref reader);
        SshPublicKey key = ReadKeyFields(keyType, ref reader);
        ulong serial = reader.ReadUInt64();
        uint type = reader.ReadUInt32();
        if (type is not (1 or 2))
        {
            throw new SshKeyFormatException($"unknown certificate type {type} (1 is user, 2 is host)");
        }

        string keyId = reader.ReadUtf8String();
        string[] principals = ReadStringList(reader.ReadString());
        ulong validAfter = reader.ReadUInt64();
        ulong validBefore = reader.ReadUInt64();
        Dictionary<string, string> critical = ReadOptions(reader.ReadString(), "critical option");
        Dictionary<string, string> extensions = ReadOptions(reader.ReadString(), "extension");
        reader.ReadString(); // reserved
        SshPublicKey signatureKey = ReadSignatureKey(reader.ReadString());
        int signedLength = blob.Length - reader.Remaining;
        ReadOnlyMemory<byte> signature = Slice(blob, ref reader);
        reader.ReadEnd();

        var fields = new Fields(nonce, key, serial, (SshCertificateType)type, keyId, principals, validAfter, validBefore, critical, extensions, signatureKey, signature);
        return new SshCertificate(blob, certificateType, signedLength, fields);
    }

    /// <summary>The next string of <paramref name="reader"/> (which reads <paramref name="blob"/>) as a slice of the blob.</summary>
    private static ReadOnlyMemory<byte> Slice(byte[] blob, ref SshReader reader)
    {
        int length = reader.ReadString().Length;
        return blob.AsMemory(blob.Length - reader.Remaining - length, length);
    }

    /// <summary>
    /// Reads the CA key as a plain key. A certificate is never a valid CA key (PROTOCOL.certkeys), and
    /// parsing one here would recurse once per nesting level on input the peer controls.
    /// </summary>
    private static SshPublicKey ReadSignatureKey(ReadOnlySpan<byte> keyBlob)
    {
        if (IsCertificateBlob(keyBlob))
        {
            throw new SshKeyFormatException("the certificate's CA key is itself a certificate; a CA key must be a plain key");
        }

        var reader = new SshReader(keyBlob);
        SshPublicKey key = KeyTypes.ReadPublicKey(ref reader);
        reader.ReadEnd();
        return key;
    }

    private static SshPublicKey ReadKeyFields(string keyType, ref SshReader reader)
    {
        if (keyType == Ed25519PublicKey.TypeName)
        {
            return Ed25519PublicKey.ReadFields(ref reader);
        }

        if (keyType == RsaPublicKey.TypeName)
        {
            return RsaPublicKey.ReadFields(ref reader);
        }

        if (EcdsaCurve.FromKeyType(keyType) is { } curve)
        {
            return EcdsaPublicKey.ReadFields(curve, ref reader);
        }

        throw new SshKeyFormatException($"unsupported certificate type '{keyType}{Suffix}' (supported: {string.Join(", ", KeyTypes.Supported.Select(t => t + Suffix))})");
    }

    private static string[] ReadStringList(ReadOnlySpan<byte> packed)
    {
        var list = new List<string>();
        var reader = new SshReader(packed);
        while (reader.Remaining > 0)
        {
            list.Add(reader.ReadUtf8String());
        }

        return [.. list];
    }

    private static Dictionary<string, string> ReadOptions(ReadOnlySpan<byte> packed, string what)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new SshReader(packed);
        while (reader.Remaining > 0)
        {
            string name = reader.ReadAsciiString();
            ReadOnlySpan<byte> data = reader.ReadString();
            string value = string.Empty;
            if (data.Length > 0)
            {
                var inner = new SshReader(data);
                value = inner.ReadUtf8String();
                inner.ReadEnd();
            }

            if (!options.TryAdd(name, value))
            {
                throw new SshKeyFormatException($"the certificate repeats the {what} '{name}'");
            }
        }

        return options;
    }

    private sealed record Fields(
        ReadOnlyMemory<byte> Nonce,
        SshPublicKey Key,
        ulong Serial,
        SshCertificateType Type,
        string KeyId,
        string[] Principals,
        ulong ValidAfter,
        ulong ValidBefore,
        Dictionary<string, string> CriticalOptions,
        Dictionary<string, string> Extensions,
        SshPublicKey SignatureKey,
        ReadOnlyMemory<byte> Signature);
}

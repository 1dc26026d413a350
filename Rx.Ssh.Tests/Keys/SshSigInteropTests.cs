using System.Security.Cryptography;
using Rx.Ssh.Keys;
using Rx.Ssh.Wire;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>
/// Real cross-implementation signature checks through OpenSSH's SSHSIG format (PROTOCOL.sshsig):
/// we sign and <c>ssh-keygen -Y check-novalidate</c> verifies; <c>ssh-keygen -Y sign</c> signs and we verify.
/// </summary>
public sealed class SshSigInteropTests : IClassFixture<SshKeygenKeys>
{
    private const string Namespace = "rx-ssh-test";
    private static readonly byte[] Message = "a message signed by one implementation and checked by the other\n"u8.ToArray();
    private readonly SshKeygenKeys _keys;

    public SshSigInteropTests(SshKeygenKeys keys) => _keys = keys;

    public static TheoryData<string> Names() => new() { "ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048" };

    [Theory]
    [MemberData(nameof(Names))]
    public void OurSignature_IsAcceptedByOpenSsh(string name)
    {
        using SshPrivateKey key = SshPrivateKey.Load(_keys.Base(name));
        using var directory = new TempDirectory();
        string signaturePath = directory.File("message.sig");
        File.WriteAllText(signaturePath, Armor(CreateSshSig(key, key.SignatureAlgorithms[0])));

        OpenSshTool.Result result = OpenSshTool.Run(
            "ssh-keygen", ["-Y", "check-novalidate", "-n", Namespace, "-s", signaturePath], stdin: System.Text.Encoding.UTF8.GetString(Message), allowFailure: true);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("Good", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OpenSshSignature_IsVerifiedByUs(string name)
    {
        string messagePath = Path.Combine(_keys.Directory, $"message-{name}");
        File.WriteAllBytes(messagePath, Message);
        OpenSshTool.SshKeygen("-Y", "sign", "-f", _keys.Base(name), "-n", Namespace, messagePath);
        byte[] sshsig = Unarmor(File.ReadAllText(messagePath + ".sig"));

        var reader = new SshReader(sshsig);
        Assert.True(reader.ReadBytes(6).SequenceEqual("SSHSIG"u8));
        Assert.Equal(1u, reader.ReadUInt32());
        SshPublicKey publicKey = SshPublicKey.FromBlob(reader.ReadString());
        Assert.Equal(Namespace, reader.ReadAsciiString());
        reader.ReadString();
        string hash = reader.ReadAsciiString();
        byte[] signature = reader.ReadString().ToArray();
        reader.ReadEnd();

        Assert.Equal(SshPublicKey.Load(_keys.Base(name) + ".pub"), publicKey);
        byte[] signed = SignedData(hash);
        Assert.True(publicKey.VerifySignature(signed, signature));
        signed[^1] ^= 1;
        Assert.False(publicKey.VerifySignature(signed, signature));
    }

    private static byte[] CreateSshSig(SshPrivateKey key, string algorithm)
    {
        byte[] signature = key.Sign(algorithm, SignedData("sha512"));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteRaw("SSHSIG"u8);
        writer.WriteUInt32(1);
        writer.WriteString(key.PublicKey.Blob.Span);
        writer.WriteString(Namespace);
        writer.WriteString(ReadOnlySpan<byte>.Empty);
        writer.WriteString("sha512");
        writer.WriteString(signature);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] SignedData(string hash)
    {
        byte[] digest = hash switch
        {
            "sha512" => SHA512.HashData(Message),
            "sha256" => SHA256.HashData(Message),
            _ => throw new InvalidOperationException("unexpected SSHSIG hash " + hash),
        };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteRaw("SSHSIG"u8);
        writer.WriteString(Namespace);
        writer.WriteString(ReadOnlySpan<byte>.Empty);
        writer.WriteString(hash);
        writer.WriteString(digest);
        return buffer.WrittenSpan.ToArray();
    }

    private static string Armor(byte[] data)
    {
        string base64 = Convert.ToBase64String(data);
        var text = new System.Text.StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        for (int i = 0; i < base64.Length; i += 70)
        {
            text.Append(base64.AsSpan(i, Math.Min(70, base64.Length - i))).Append('\n');
        }

        return text.Append("-----END SSH SIGNATURE-----\n").ToString();
    }

    private static byte[] Unarmor(string text) =>
        Convert.FromBase64String(string.Concat(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
}

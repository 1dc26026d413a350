using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace Rx.Ssh.Tests.Trust;

/// <summary>Synthetic key blobs and OpenSSH tool helpers for the trust tests.</summary>
internal static class TrustTestKeys
{
    /// <summary>A well-formed ed25519-shaped blob whose 32 key bytes are all <paramref name="fill"/>.</summary>
    public static byte[] Ed25519(byte fill) => Blob("ssh-ed25519", Enumerable.Repeat(fill, 32).ToArray());

    /// <summary>An ecdsa-shaped blob on <paramref name="curve"/> (nistp256, nistp384, ...).</summary>
    public static byte[] Ecdsa(string curve, byte fill)
    {
        byte[] point = Enumerable.Repeat(fill, 65).ToArray();
        point[0] = 4;
        byte[] curveName = Encoding.ASCII.GetBytes(curve);
        return Concat(SshString(Encoding.ASCII.GetBytes("ecdsa-sha2-" + curve)), SshString(curveName), SshString(point));
    }

    /// <summary>An rsa-shaped blob.</summary>
    public static byte[] Rsa(byte fill) => Concat(SshString("ssh-rsa"u8.ToArray()), SshString([1, 0, 1]), SshString(Enumerable.Repeat(fill, 64).ToArray()));

    /// <summary><c>type base64</c> for a blob.</summary>
    public static string Line(byte[] blob) => TypeOf(blob) + " " + Convert.ToBase64String(blob);

    /// <summary>The leading SSH string of a blob.</summary>
    public static string TypeOf(byte[] blob)
    {
        int length = BinaryPrimitives.ReadInt32BigEndian(blob);
        return Encoding.ASCII.GetString(blob, 4, length);
    }

    /// <summary>Runs an OpenSSH tool and returns its exit code and standard output.</summary>
    public static (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return (process.ExitCode, output);
    }

    /// <summary>Generates an ed25519 key with ssh-keygen and returns its public line's type and blob.</summary>
    public static (string Type, byte[] Blob) GenerateEd25519(string directory, string name)
    {
        string file = Path.Combine(directory, name);
        (int code, _) = Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file);
        Assert.Equal(0, code);
        string[] parts = File.ReadAllText(file + ".pub").Split(' ');
        return (parts[0], Convert.FromBase64String(parts[1]));
    }

    private static byte[] Blob(string type, byte[] key) => Concat(SshString(Encoding.ASCII.GetBytes(type)), SshString(key));

    private static byte[] SshString(byte[] data)
    {
        byte[] result = new byte[4 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, data.Length);
        data.CopyTo(result, 4);
        return result;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}

/// <summary>A minimal <see cref="SshPublicKey"/> over a synthetic blob, for the overloads taking keys.</summary>
internal sealed class BlobOnlyPublicKey(byte[] blob) : SshPublicKey(blob)
{
    public override string KeyType { get; } = TrustTestKeys.TypeOf(blob);

    public override IReadOnlyList<string> SignatureAlgorithms => [KeyType];

    public override bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob) => false;
}

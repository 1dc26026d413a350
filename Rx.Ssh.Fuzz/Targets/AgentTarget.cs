using System.Net.Sockets;
using Rx.Ssh.Fuzz.Engine;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>
/// An ssh-agent's replies into <see cref="SshAgentClient"/> over a real UNIX socket: the first input
/// byte picks the request (list identities, sign with rsa-sha2-512, sign with ed25519, remove all),
/// the rest is what the agent answers, then it closes, so a short reply ends in EOF, not a wait. Each
/// reply must end in a result or an <see cref="SshAgentException"/>.
/// </summary>
internal sealed class AgentTarget : FuzzTarget
{
    private static readonly SshPublicKey Ed25519 = SshPublicKey.FromBlob(
        Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"));

    private readonly Lazy<(Socket Listener, string Path)> _listener = new(() =>
    {
        string directory = Directory.CreateTempSubdirectory("rxfz-agent-").FullName;
        string path = System.IO.Path.Combine(directory, "a.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        return (listener, path);
    });

    /// <summary>A 2048-bit RSA public key made from a fixed odd modulus (generating one would cost the first input seconds).</summary>
    private static readonly SshPublicKey Rsa = SshPublicKey.FromBlob(
    [
        .. Str("ssh-rsa"u8),
        .. Str([1, 0, 1]),
        .. Str([0, .. Enumerable.Range(0, 256).Select(i => (byte)(i == 0 ? 0xC5 : i == 255 ? 0x3B : (i * 37) + 11))]),
    ]);

    public override string Name => "agent-reply";

    public override IReadOnlyList<byte[]> Dictionary => [[5], [6], [12], [14], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [.. "ssh-ed25519"u8], [.. "rsa-sha2-512"u8], [.. "ssh-ed25519-cert-v01@openssh.com"u8]];

    public override IEnumerable<byte[]> Seeds()
    {
        byte[] blob = Ed25519.Blob.ToArray();
        yield return [0, .. Frame([12, 0, 0, 0, 1, .. Str(blob), .. Str("comment"u8)])];
        yield return [0, .. Frame([12, 0, 0, 0, 0])];
        byte[] signature = [.. Str("ssh-ed25519"u8), .. Str(new byte[64])];
        yield return [2, .. Frame([14, .. Str(signature)])];
        byte[] rsaSignature = [.. Str("rsa-sha2-512"u8), .. Str(new byte[256])];
        yield return [1, .. Frame([14, .. Str(rsaSignature)])];
        yield return [3, .. Frame([6])];
        yield return [1, .. Frame([5])];
    }

    public override void Run(byte[] input) => RunAsync(input).GetAwaiter().GetResult();

    public override bool IsExpected(Exception error) => error is SshAgentException;

    private static byte[] Frame(byte[] contents) => [(byte)(contents.Length >> 24), (byte)(contents.Length >> 16), (byte)(contents.Length >> 8), (byte)contents.Length, .. contents];

    private static byte[] Str(ReadOnlySpan<byte> value) => [(byte)(value.Length >> 24), (byte)(value.Length >> 16), (byte)(value.Length >> 8), (byte)value.Length, .. value];

    private async Task RunAsync(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        (Socket listener, string path) = _listener.Value;
        Task<Socket> accepting = listener.AcceptAsync();
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(path, TimeSpan.FromSeconds(10));
        using Socket agent = await accepting;
        await agent.SendAsync(input.AsMemory(1));
        agent.Shutdown(SocketShutdown.Send);
        byte[] data = [1, 2, 3];
        switch (input[0] % 4)
        {
            case 0:
                await client.GetIdentitiesAsync();
                break;
            case 1:
                await client.SignAsync(Rsa, "rsa-sha2-512", data);
                break;
            case 2:
                await client.SignAsync(Ed25519, "ssh-ed25519", data);
                break;
            default:
                await client.RemoveAllAsync();
                break;
        }
    }
}

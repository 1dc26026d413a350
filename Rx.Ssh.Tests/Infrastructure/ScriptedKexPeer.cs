using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A hand-driven SSH peer for the unencrypted part of a connection (version exchange and the
/// key exchange messages), so a test can send values a real implementation never would and see
/// how the Rx.Ssh side reacts.
/// </summary>
internal sealed class ScriptedKexPeer(Stream stream)
{
    /// <summary>Sends our identification line and reads the peer's.</summary>
    public async Task<string> ExchangeVersionsAsync(string version = "SSH-2.0-ScriptedPeer")
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(version + "\r\n"));
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new EndOfStreamException("closed during version exchange");
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            }

            line.Add(one[0]);
        }
    }

    /// <summary>A KEXINIT offering only <paramref name="kex"/>, an ed25519 host key and aes128-ctr with hmac-sha2-256.</summary>
    public Task SendKexInitAsync(string kex)
    {
        var message = new KexInitMessage([kex], ["ssh-ed25519"], ["aes128-ctr"], ["aes128-ctr"], ["hmac-sha2-256"], ["hmac-sha2-256"], ["none"], ["none"], false);
        using var buffer = new SshBuffer();
        message.WriteTo(buffer, RandomNumberGenerator.GetBytes(16));
        return SendAsync(buffer.ToArray());
    }

    /// <summary>Sends <paramref name="message"/> with a random cookie; returns the payload sent (I_C or I_S of the exchange hash).</summary>
    public async Task<byte[]> SendKexInitAsync(KexInitMessage message)
    {
        using var buffer = new SshBuffer();
        message.WriteTo(buffer, RandomNumberGenerator.GetBytes(16));
        byte[] payload = buffer.ToArray();
        await SendAsync(payload);
        return payload;
    }

    /// <summary>
    /// The exchange hash H of a curve25519-sha256 key exchange (RFC 8731 section 3.1, RFC 5656 section 4):
    /// SHA-256 over V_C, V_S, I_C, I_S, K_S, Q_C, Q_S as strings and the shared secret K as an mpint.
    /// </summary>
    public static byte[] Curve25519ExchangeHash(
        string clientVersion, string serverVersion, byte[] clientKexInit, byte[] serverKexInit,
        ReadOnlySpan<byte> hostKey, ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> serverPublic, byte[] secret)
    {
        using var buffer = new SshBuffer();
        SshWriter w = buffer.Writer;
        w.WriteString(clientVersion);
        w.WriteString(serverVersion);
        w.WriteString(clientKexInit);
        w.WriteString(serverKexInit);
        w.WriteString(hostKey);
        w.WriteString(clientPublic);
        w.WriteString(serverPublic);
        w.WriteMPInt(secret);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>Sends one payload built by <paramref name="build"/>.</summary>
    public Task SendAsync(Action<SshWriter> build)
    {
        using var buffer = new SshBuffer();
        build(buffer.Writer);
        return SendAsync(buffer.ToArray());
    }

    /// <summary>Sends one unencrypted packet (RFC 4253 section 6, no MAC).</summary>
    public async Task SendAsync(byte[] payload)
    {
        int padding = 8 - ((5 + payload.Length) % 8);
        padding = padding < 4 ? padding + 8 : padding;
        byte[] packet = new byte[5 + payload.Length + padding];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(1 + payload.Length + padding));
        packet[4] = (byte)padding;
        payload.CopyTo(packet, 5);
        await stream.WriteAsync(packet);
        await stream.FlushAsync();
    }

    /// <summary>The next unencrypted packet's payload.</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        byte[] header = new byte[5];
        await stream.ReadExactlyAsync(header);
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        byte[] rest = new byte[length - 1];
        await stream.ReadExactlyAsync(rest);
        return rest[..^header[4]];
    }

    /// <summary>Reads packets until <paramref name="number"/> arrives.</summary>
    public async Task<byte[]> ReceiveAsync(byte number)
    {
        while (true)
        {
            byte[] payload = await ReceiveAsync();
            if (payload[0] == number)
            {
                return payload;
            }
        }
    }

    /// <summary>Reads until the peer's DISCONNECT; returns its reason code.</summary>
    public async Task<DisconnectReason> ExpectDisconnectAsync()
    {
        byte[] payload = await ReceiveAsync(MessageNumber.Disconnect);
        return (DisconnectReason)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1));
    }
}

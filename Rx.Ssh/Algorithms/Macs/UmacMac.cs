using System.Buffers.Binary;

namespace Rx.Ssh.Algorithms.Macs;

/// <summary>
/// UMAC as OpenSSH uses it (<c>umac-64@openssh.com</c>, <c>umac-128@openssh.com</c> and their
/// <c>-etm@openssh.com</c> forms): a 16-byte key, the packet as the message and the sequence
/// number as an 8-byte big-endian nonce (it is not hashed into the message as with HMAC).
/// </summary>
internal sealed class UmacMac : IMac
{
    /// <summary><c>umac-64@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm Umac64 = Entry("umac-64@openssh.com", 8, etm: false);

    /// <summary><c>umac-128@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm Umac128 = Entry("umac-128@openssh.com", 16, etm: false);

    /// <summary><c>umac-64-etm@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm Umac64Etm = Entry("umac-64-etm@openssh.com", 8, etm: true);

    /// <summary><c>umac-128-etm@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm Umac128Etm = Entry("umac-128-etm@openssh.com", 16, etm: true);

    private readonly Umac _umac;

    public UmacMac(ReadOnlySpan<byte> key, int length) => _umac = new Umac(key, length);

    public int Length => _umac.TagLength;

    public void Compute(uint sequenceNumber, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        Span<byte> nonce = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, sequenceNumber);
        _umac.Compute(data, nonce, mac);
    }

    public void Dispose() => _umac.Dispose();

    private static MacAlgorithm Entry(string name, int length, bool etm) =>
        new(name, keySize: 16, length: length, isEncryptThenMac: etm, key => new UmacMac(key, length));
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.Macs;

/// <summary>
/// HMAC over <c>uint32 sequence_number || data</c> (RFC 4253 section 6.4, RFC 6668), and the
/// catalogue entries for <c>hmac-sha2-256</c>, <c>hmac-sha2-512</c>, <c>hmac-sha1</c> and
/// their <c>-etm@openssh.com</c> forms, plus the legacy (off by default)
/// <c>hmac-md5</c>, <c>hmac-md5-96</c> and <c>hmac-sha1-96</c>.
/// </summary>
internal sealed class HmacMac : IMac
{
    /// <summary><c>hmac-sha2-256</c> (RFC 6668).</summary>
    internal static readonly MacAlgorithm HmacSha256 = Entry("hmac-sha2-256", HashAlgorithmName.SHA256, 32, etm: false);

    /// <summary><c>hmac-sha2-512</c> (RFC 6668).</summary>
    internal static readonly MacAlgorithm HmacSha512 = Entry("hmac-sha2-512", HashAlgorithmName.SHA512, 64, etm: false);

    /// <summary><c>hmac-sha1</c> (RFC 4253).</summary>
    internal static readonly MacAlgorithm HmacSha1 = Entry("hmac-sha1", HashAlgorithmName.SHA1, 20, etm: false);

    /// <summary><c>hmac-sha2-256-etm@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm HmacSha256Etm = Entry("hmac-sha2-256-etm@openssh.com", HashAlgorithmName.SHA256, 32, etm: true);

    /// <summary><c>hmac-sha2-512-etm@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm HmacSha512Etm = Entry("hmac-sha2-512-etm@openssh.com", HashAlgorithmName.SHA512, 64, etm: true);

    /// <summary><c>hmac-sha1-etm@openssh.com</c>.</summary>
    internal static readonly MacAlgorithm HmacSha1Etm = Entry("hmac-sha1-etm@openssh.com", HashAlgorithmName.SHA1, 20, etm: true);

    /// <summary><c>hmac-sha1-96</c> (RFC 4253: first 12 bytes of HMAC-SHA1); off by default.</summary>
    internal static readonly MacAlgorithm HmacSha1_96 = Entry("hmac-sha1-96", HashAlgorithmName.SHA1, 20, 12, etm: false);

    /// <summary><c>hmac-md5</c> (RFC 4253); off by default.</summary>
    internal static readonly MacAlgorithm HmacMd5 = Entry("hmac-md5", HashAlgorithmName.MD5, 16, 16, etm: false);

    /// <summary><c>hmac-md5-96</c> (RFC 4253: first 12 bytes of HMAC-MD5); off by default.</summary>
    internal static readonly MacAlgorithm HmacMd5_96 = Entry("hmac-md5-96", HashAlgorithmName.MD5, 16, 12, etm: false);

    /// <summary><c>hmac-sha1-96-etm@openssh.com</c>; off by default.</summary>
    internal static readonly MacAlgorithm HmacSha1_96Etm = Entry("hmac-sha1-96-etm@openssh.com", HashAlgorithmName.SHA1, 20, 12, etm: true);

    /// <summary><c>hmac-md5-etm@openssh.com</c>; off by default.</summary>
    internal static readonly MacAlgorithm HmacMd5Etm = Entry("hmac-md5-etm@openssh.com", HashAlgorithmName.MD5, 16, 16, etm: true);

    /// <summary><c>hmac-md5-96-etm@openssh.com</c>; off by default.</summary>
    internal static readonly MacAlgorithm HmacMd5_96Etm = Entry("hmac-md5-96-etm@openssh.com", HashAlgorithmName.MD5, 16, 12, etm: true);

    private readonly IncrementalHash _hmac;
    private readonly int _hashSize;

    public HmacMac(HashAlgorithmName hash, ReadOnlySpan<byte> key, int length)
    {
        _hmac = IncrementalHash.CreateHMAC(hash, key);
        _hashSize = _hmac.HashLengthInBytes;
        if (length <= 0 || length > _hashSize)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "A MAC cannot be longer than its hash.");
        }

        Length = length;
    }

    public int Length { get; }

    public void Compute(uint sequenceNumber, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        Span<byte> seq = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(seq, sequenceNumber);
        _hmac.AppendData(seq);
        _hmac.AppendData(data);
        if (Length == _hashSize)
        {
            _hmac.GetHashAndReset(mac[..Length]);
            return;
        }

        Span<byte> full = stackalloc byte[_hashSize];
        _hmac.GetHashAndReset(full);
        full[..Length].CopyTo(mac);
        CryptographicOperations.ZeroMemory(full);
    }

    public void Dispose() => _hmac.Dispose();

    private static MacAlgorithm Entry(string name, HashAlgorithmName hash, int size, bool etm) => Entry(name, hash, size, size, etm);

    private static MacAlgorithm Entry(string name, HashAlgorithmName hash, int keySize, int length, bool etm) =>
        new(name, keySize: keySize, length: length, isEncryptThenMac: etm, key => new HmacMac(hash, key, length));
}

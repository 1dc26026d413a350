namespace Rx.Ssh.Algorithms.Macs;

/// <summary>Catalogue entry for one MAC name (used with non-AEAD ciphers).</summary>
internal sealed class MacAlgorithm
{
    public MacAlgorithm(string name, int keySize, int length, bool isEncryptThenMac, Func<byte[], IMac> create)
    {
        Name = name;
        KeySize = keySize;
        Length = length;
        IsEncryptThenMac = isEncryptThenMac;
        _create = create;
    }

    private readonly Func<byte[], IMac> _create;

    public string Name { get; }

    public int KeySize { get; }

    /// <summary>Bytes of MAC sent per packet (truncated forms send fewer than the hash produces).</summary>
    public int Length { get; }

    /// <summary>True for the <c>-etm@openssh.com</c> forms: MAC over the ciphertext, length in the clear.</summary>
    public bool IsEncryptThenMac { get; }

    public IMac Create(byte[] key) => _create(key);
}

/// <summary>A keyed MAC over <c>uint32 sequence_number || data</c>.</summary>
internal interface IMac : IDisposable
{
    int Length { get; }

    void Compute(uint sequenceNumber, ReadOnlySpan<byte> data, Span<byte> mac);
}

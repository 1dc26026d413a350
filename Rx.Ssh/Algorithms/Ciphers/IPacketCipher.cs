namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// Protects outgoing binary packets (RFC 4253 section 6) for one direction. One instance per
/// direction per key exchange; not thread-safe (the transport's single writer uses it).
/// </summary>
/// <remarks>
/// The transport hands over the whole packet: the 4-byte <c>packet_length</c>, the padding
/// length byte, the payload and the padding, as plaintext. The encryptor encrypts it in place
/// (leaving the length in the clear where the mode says so: AES-GCM and ETM MACs) and writes the
/// MAC/tag into <c>mac</c>.
/// </remarks>
internal interface IPacketEncryptor : IDisposable
{
    /// <summary>Padding alignment: the padded size must be a multiple of this (at least 8).</summary>
    int BlockSize { get; }

    /// <summary>Bytes of MAC or AEAD tag after each packet.</summary>
    int MacLength { get; }

    /// <summary>
    /// True when the 4-byte length is not part of the padding alignment (AEAD ciphers and
    /// encrypt-then-MAC): then <c>padding_length + payload + padding</c> is aligned, not the
    /// whole packet.
    /// </summary>
    bool IsLengthExcludedFromPadding { get; }

    /// <summary>Encrypts <paramref name="packet"/> in place and writes its MAC.</summary>
    void Encrypt(uint sequenceNumber, Span<byte> packet, Span<byte> mac);
}

/// <summary>
/// Opens incoming binary packets for one direction. Used by the transport's single reader.
/// </summary>
/// <remarks>
/// The reader first takes <see cref="LengthPrefixSize"/> bytes and asks
/// <see cref="DecryptLength"/> for <c>packet_length</c>; once <c>4 + packet_length + MacLength</c>
/// bytes are there it calls <see cref="Decrypt"/> with the whole packet (length field included,
/// still as received). A MAC or tag that does not verify throws
/// <see cref="SshConnectionException"/> with <see cref="DisconnectReason.MacError"/>.
/// </remarks>
internal interface IPacketDecryptor : IDisposable
{
    /// <summary>Cipher block size: <c>4 + packet_length</c> (or <c>packet_length</c>) must be a multiple of it.</summary>
    int BlockSize { get; }

    /// <summary>Bytes of MAC or AEAD tag after each packet.</summary>
    int MacLength { get; }

    /// <summary>True when the 4-byte length is excluded from block alignment (AEAD, ETM).</summary>
    bool IsLengthExcludedFromPadding { get; }

    /// <summary>How many leading bytes are needed to learn <c>packet_length</c>.</summary>
    int LengthPrefixSize { get; }

    /// <summary>Returns <c>packet_length</c> from the first <see cref="LengthPrefixSize"/> bytes; does not verify anything.</summary>
    uint DecryptLength(uint sequenceNumber, ReadOnlySpan<byte> prefix);

    /// <summary>
    /// Verifies and decrypts <paramref name="packet"/> (length field included) in place. After it
    /// returns, <c>packet[4]</c> is the padding length and the payload follows.
    /// </summary>
    void Decrypt(uint sequenceNumber, Span<byte> packet, ReadOnlySpan<byte> mac);

    /// <summary>
    /// As <see cref="Decrypt(uint, Span{byte}, ReadOnlySpan{byte})"/>, reading the packet (length
    /// field included, MAC after it) from <paramref name="source"/> and writing the decrypted packet
    /// (<c>4 + packet_length</c> bytes) to <paramref name="destination"/>, which must not overlap it.
    /// The default copies, then decrypts in place; a cipher that can read and write different
    /// buffers in one pass (AES-GCM) saves the copy.
    /// </summary>
    void DecryptFrom(uint sequenceNumber, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source[..destination.Length].CopyTo(destination);
        Decrypt(sequenceNumber, destination, source.Slice(destination.Length, MacLength));
    }
}

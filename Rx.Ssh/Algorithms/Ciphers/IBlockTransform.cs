namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// A keyed, stateful cipher that transforms data in place, one direction per instance
/// (AES-CTR; a CBC encryptor or decryptor would fit too). Calls continue where the last one
/// stopped: the transport feeds it each packet's bytes in order.
/// </summary>
internal interface IBlockTransform : IDisposable
{
    /// <summary>Cipher block size; callers pass multiples of it.</summary>
    int BlockSize { get; }

    /// <summary>Encrypts or decrypts <paramref name="data"/> in place.</summary>
    void Transform(Span<byte> data);
}

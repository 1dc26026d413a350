using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>
/// One run of an ephemeral key agreement (client or server side). Created per key exchange and
/// disposed after it; holds the ephemeral private key.
/// </summary>
internal interface IKeyExchange : IDisposable
{
    /// <summary>Client side: the ephemeral public value sent in the init message (Q_C / e / C_INIT).</summary>
    byte[] CreateClientPublic();

    /// <summary>Client side: the shared secret from the server's reply value.</summary>
    byte[] ComputeClientSecret(ReadOnlySpan<byte> serverPublic);

    /// <summary>Server side: the reply value (Q_S / f / S_REPLY) and the shared secret from the client's value.</summary>
    byte[] CreateServerReply(ReadOnlySpan<byte> clientPublic, out byte[] sharedSecret);
}

/// <summary>Catalogue entry for one key exchange method.</summary>
internal sealed class KeyExchangeAlgorithm
{
    private readonly Func<IKeyExchange>? _create;
    private readonly Func<DiffieHellmanGroup, IKeyExchange>? _createForGroup;
    private readonly Func<bool>? _isAvailable;

    /// <summary>A group exchange method (RFC 4419): the group is negotiated before the exchange.</summary>
    public KeyExchangeAlgorithm(string name, HashAlgorithmName hash, Func<DiffieHellmanGroup, IKeyExchange> createForGroup)
    {
        Name = name;
        Hash = hash;
        _createForGroup = createForGroup;
    }

    public KeyExchangeAlgorithm(string name, HashAlgorithmName hash, Func<IKeyExchange> create, bool secretIsString = false, Func<bool>? isAvailable = null)
    {
        Name = name;
        Hash = hash;
        _create = create;
        SecretIsString = secretIsString;
        _isAvailable = isAvailable;
    }

    public string Name { get; }

    /// <summary>The exchange hash and key derivation hash.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>True when K is encoded as a string (post-quantum hybrids), false for an mpint.</summary>
    public bool SecretIsString { get; }

    public bool IsAvailable => _isAvailable?.Invoke() ?? true;

    /// <summary>True for Diffie-Hellman group exchange: create with <see cref="Create(DiffieHellmanGroup)"/>.</summary>
    public bool IsGroupExchange => _createForGroup is not null;

    public IKeyExchange Create() => (_create ?? throw new InvalidOperationException($"{Name} needs a group.")).Invoke();

    public IKeyExchange Create(DiffieHellmanGroup group) => (_createForGroup ?? throw new InvalidOperationException($"{Name} has a fixed group.")).Invoke(group);
}

using System.Buffers;
using System.Security.Cryptography;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Transport;

/// <summary>Key material does not outlive its use: pooled buffers holding K, derived keys, cipher objects.</summary>
public sealed class SecretClearingTests
{
    [Fact]
    public void A_secret_buffer_is_zeroed_before_each_array_goes_back_to_the_pool()
    {
        var pool = new RecordingPool();
        using (var buffer = new SshBuffer(16, sensitive: true, pool))
        {
            buffer.Writer.WriteRaw(Enumerable.Repeat((byte)0x5a, 16).ToArray());
            buffer.Writer.WriteRaw(Enumerable.Repeat((byte)0x5a, 100).ToArray()); // grows: the first array goes back
        }

        Assert.True(pool.Returned.Count >= 2, "the buffer grew at least once");
        Assert.All(pool.Returned, array => Assert.All(array, b => Assert.Equal(0, b)));
    }

    [Fact]
    public void An_ordinary_buffer_is_not_wiped()
    {
        var pool = new RecordingPool();
        using (var buffer = new SshBuffer(16, sensitive: false, pool))
        {
            buffer.Writer.WriteByte(7);
        }

        Assert.Equal(7, Assert.Single(pool.Returned)[0]);
    }

    [Fact]
    public void The_exchange_hash_leaves_no_copy_of_K_in_the_shared_pool()
    {
        // ArrayPool<byte>.Shared hands the array this thread returned last straight back out, so
        // the next rent of the same size sees whatever the exchange hash left in it.
        byte[] secret = Enumerable.Repeat((byte)0x5a, 32).ToArray();
        byte[] marker = secret[..24];
        var kex = AlgorithmCatalog.KeyExchange["curve25519-sha256"];

        SshTransport.ComputeExchangeHash(kex, "SSH-2.0-a", "SSH-2.0-b", [20], [20], [1, 2, 3], [], new byte[32], new byte[32], secret);

        byte[] next = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            Assert.Equal(-1, next.AsSpan().IndexOf(marker));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    [Fact]
    public void Derived_keys_are_zeroed_once_the_ciphers_hold_their_copies()
    {
        var captured = new List<byte[]>();
        var cipher = new CipherAlgorithm(
            "test-cipher", 32, 16, 16, isAead: false,
            (key, iv, mac, macKey) => Capture(captured, key, iv, macKey),
            (key, iv, mac, macKey) => Capture(captured, key, iv, macKey));
        var negotiated = new NegotiatedAlgorithms(
            AlgorithmCatalog.KeyExchange["curve25519-sha256"], "ssh-ed25519", cipher, cipher,
            AlgorithmCatalog.Macs["hmac-sha2-256"], AlgorithmCatalog.Macs["hmac-sha2-256"], "none", "none");
        byte[] hash = RandomNumberGenerator.GetBytes(32);

        (IPacketEncryptor encryptor, IPacketDecryptor decryptor) = SshTransport.CreateCiphers(negotiated, isServer: false, RandomNumberGenerator.GetBytes(33), hash, hash);
        using (encryptor)
        using (decryptor)
        {
            Assert.Equal(6, captured.Count); // key, iv and MAC key per direction
            Assert.All(((CapturingCipher)encryptor).Copies.Concat(((CapturingCipher)decryptor).Copies), copy => Assert.Contains(copy, b => b != 0));
            Assert.All(captured, array => Assert.All(array, b => Assert.Equal(0, b)));
        }
    }

    [Fact]
    public async Task Both_sides_dispose_their_cipher_objects_when_the_connection_ends()
    {
        InMemoryServer pair = await InMemoryServer.StartAsync();
        Assert.True(pair.Client.Transport.HoldsKeys);
        Assert.True(pair.Server.Transport.HoldsKeys);

        await pair.Client.DisposeAsync();
        await pair.Client.Completion.WithTimeout();
        await pair.Server.Completion.WithTimeout();

        Assert.False(pair.Client.Transport.HoldsKeys);
        Assert.False(pair.Server.Transport.HoldsKeys);
        await pair.DisposeAsync();
    }

    [Fact]
    public async Task A_transport_failing_mid_session_disposes_its_keys()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();

        await pair.Server.Transport.FailAsync(new SshConnectionException(DisconnectReason.ProtocolError, "test failure"));
        await pair.Server.Completion.WithTimeout();
        await pair.Client.Completion.WithTimeout();

        Assert.False(pair.Server.Transport.HoldsKeys);
        Assert.False(pair.Client.Transport.HoldsKeys);
    }

    private static CapturingCipher Capture(List<byte[]> captured, byte[] key, byte[] iv, byte[]? macKey)
    {
        captured.Add(key);
        captured.Add(iv);
        captured.Add(macKey!);
        return new CapturingCipher([key.ToArray(), iv.ToArray(), macKey!.ToArray()]);
    }

    private sealed class CapturingCipher(byte[][] copies) : IPacketEncryptor, IPacketDecryptor
    {
        public byte[][] Copies { get; } = copies;

        public int BlockSize => 16;

        public int MacLength => 0;

        public bool IsLengthExcludedFromPadding => false;

        public int LengthPrefixSize => 4;

        public uint DecryptLength(uint sequenceNumber, ReadOnlySpan<byte> prefix) => 0;

        public void Decrypt(uint sequenceNumber, Span<byte> packet, ReadOnlySpan<byte> mac)
        {
        }

        public void Encrypt(uint sequenceNumber, Span<byte> packet, Span<byte> mac)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class RecordingPool : ArrayPool<byte>
    {
        public List<byte[]> Returned { get; } = [];

        public override byte[] Rent(int minimumLength) => new byte[minimumLength];

        public override void Return(byte[] array, bool clearArray = false) => Returned.Add(array);
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.KeyExchange;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Transport;

/// <summary>Key exchange and re-exchange (RFC 4253 sections 7-9, RFC 5656, RFC 8731, RFC 8268, strict kex; group exchange in SshTransport.GroupExchange.cs).</summary>
internal sealed partial class SshTransport
{
    private const string StrictClient = "kex-strict-c-v00@openssh.com";
    private const string StrictServer = "kex-strict-s-v00@openssh.com";
    private const string ExtInfoClient = "ext-info-c";
    private const string ExtInfoServer = "ext-info-s";

    private readonly object _kexLock = new();
    private volatile bool _firstKexDone;
    private bool _kexInitSent;
    private byte[] _ourKexInit = [];
    private bool _strictKex;
    private bool _peerSupportsExtInfo;
    private SshPublicKey? _hostKey;
    private long _extInfoPacket = -1; // the one packet number at which EXT_INFO may come without more ado

    /// <summary>The server's host key (client side), once the first key exchange has completed.</summary>
    public SshPublicKey? HostKey => _hostKey;

    /// <summary>The algorithms of the latest key exchange.</summary>
    public NegotiatedAlgorithms? Negotiated { get; private set; }

    /// <summary>The <c>server-sig-algs</c> extension the server sent (RFC 8308), or null.</summary>
    public IReadOnlyList<string>? ServerSignatureAlgorithms { get; private set; }

    /// <summary>Number of completed key exchanges (1 after the initial one).</summary>
    public int KeyExchangeCount { get; private set; }

    /// <summary>Starts a key re-exchange unless one is already running.</summary>
    public void RequestKeyExchange()
    {
        lock (_kexLock)
        {
            if (_kexInitSent || _failure is not null)
            {
                return;
            }

            _kexInitSent = true;
            _automaticRekeyDue = false;
            if (_firstKexDone)
            {
                StartKexTimer();
            }

            KexInitMessage ours = BuildKexInit();
            using var buffer = new SshBuffer(512);
            Span<byte> cookie = stackalloc byte[16];
            RandomNumberGenerator.Fill(cookie);
            ours.WriteTo(buffer, cookie);
            _ourKexInit = buffer.ToArray();
            try
            {
                SendKex(buffer, PacketAction.StartKeyExchange);
            }
            catch (SshConnectionException)
            {
                // Closed meanwhile; the reader reports the failure.
            }
        }
    }

    private KexInitMessage BuildKexInit()
    {
        SshAlgorithms a = _settings.Algorithms;
        var kex = a.KeyExchange.Where(n => AlgorithmCatalog.KeyExchange.TryGetValue(n, out KeyExchangeAlgorithm? k) && k.IsAvailable).ToList();
        if (!_firstKexDone)
        {
            kex.Add(IsServer ? ExtInfoServer : ExtInfoClient);
            kex.Add(IsServer ? StrictServer : StrictClient);
        }

        IEnumerable<string> hostKeys = HostKeyAlgorithms.Offered(_settings, a.HostKey);

        string[] ciphers = [.. a.Ciphers.Where(n => AlgorithmCatalog.Ciphers.TryGetValue(n, out CipherAlgorithm? c) && c.IsAvailable)];
        string[] macs = [.. a.Macs.Where(AlgorithmCatalog.Macs.ContainsKey)];
        string[] compression = [.. a.Compression.Where(AlgorithmCatalog.Compression.Contains)];
        return new KexInitMessage([.. kex], [.. hostKeys], ciphers, ciphers, macs, macs, compression, compression, false);
    }

    /// <summary>The error a peer's DISCONNECT ends the connection with (its reason, and its text made safe to show).</summary>
    private static SshConnectionException PeerDisconnected(ReadOnlySpan<byte> payload)
    {
        DisconnectMessage disconnect = DisconnectMessage.Read(payload);
        return new SshConnectionException(disconnect.Reason, $"The peer disconnected: {PeerText.Sanitize(disconnect.Description)} ({disconnect.Reason})", isLocal: false);
    }

    /// <summary>Handles transport messages; returns false for payloads that belong to the layers above.</summary>
    private async ValueTask<bool> HandleTransportMessageAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        byte number = payload.Span[0];
        switch (number)
        {
            case MessageNumber.Disconnect:
                throw PeerDisconnected(payload.Span);
            case MessageNumber.Ignore:
                return true;
            case MessageNumber.Debug:
                Logger.LogDebug(SshLogEvents.Transport.PeerDebugMessage, "Peer debug message: {Message}", PeerText.Sanitize(DebugMessage.Read(payload.Span).Message));
                return true;
            case MessageNumber.Unimplemented:
                Logger.LogDebug(SshLogEvents.Transport.PeerUnimplemented, "Peer did not implement our packet {Sequence}", UnimplementedMessage.Read(payload.Span).SequenceNumber);
                return true;
            case MessageNumber.KexInit:
                await RunKeyExchangeAsync(payload.ToArray(), cancellationToken).ConfigureAwait(false);
                return true;
            case MessageNumber.ExtInfo:
                CheckExtInfoAllowed();
                HandleExtInfo(payload.Span);
                return true;
        }

        if (!_firstKexDone)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Unexpected message {number} before key exchange completed.");
        }

        if (MessageNumber.IsTransport(number) && number is not (MessageNumber.ServiceRequest or MessageNumber.ServiceAccept))
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Unexpected transport message {number}.");
        }

        return false;
    }

    /// <summary>
    /// RFC 8308 section 2.4: EXT_INFO may only be the first packet after the peer's first NEWKEYS
    /// or, from the server, come later but before USERAUTH_SUCCESS. Anywhere else (in plaintext
    /// before the keys, after authentication, after a re-exchange) it is a protocol error.
    /// </summary>
    private void CheckExtInfoAllowed()
    {
        bool firstAfterNewKeys = _packetsReceived == _extInfoPacket;
        bool fromServerBeforeAuth = !IsServer && _firstKexDone && !IsUserAuthenticated;
        if (!firstAfterNewKeys && !fromServerBeforeAuth)
        {
            throw new SshConnectionException(
                DisconnectReason.ProtocolError,
                "EXT_INFO is only allowed right after the first NEWKEYS" + (IsServer ? "." : " or before USERAUTH_SUCCESS."));
        }
    }

    private void HandleExtInfo(ReadOnlySpan<byte> payload)
    {
        ExtInfoMessage ext = ExtInfoMessage.Read(payload);
        if (!IsServer && ext.Extensions.TryGetValue("server-sig-algs", out byte[]? value))
        {
            ServerSignatureAlgorithms = Encoding.ASCII.GetString(value).Split(',', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    private async ValueTask RunKeyExchangeAsync(byte[] peerKexInit, CancellationToken cancellationToken)
    {
        bool initial = !_firstKexDone;
        KexInitMessage peer = KexInitMessage.Read(peerKexInit);
        if (initial && _packetsReceived != 1 && (peer.KexAlgorithms.Contains(StrictClient) || peer.KexAlgorithms.Contains(StrictServer)))
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, "Strict key exchange: KEXINIT was not the first packet.");
        }

        bool peerInitiated;
        lock (_kexLock)
        {
            peerInitiated = !_kexInitSent;
        }

        if (!initial && peerInitiated)
        {
            CheckPeerInitiatedKeyExchange();
        }

        RequestKeyExchange();
        KexInitMessage ours = KexInitMessage.Read(_ourKexInit);
        KexInitMessage client = IsServer ? peer : ours;
        KexInitMessage server = IsServer ? ours : peer;
        byte[] clientInit = IsServer ? peerKexInit : _ourKexInit;
        byte[] serverInit = IsServer ? _ourKexInit : peerKexInit;

        if (initial)
        {
            _strictKex = client.KexAlgorithms.Contains(StrictClient) && server.KexAlgorithms.Contains(StrictServer);
            _peerSupportsExtInfo = peer.KexAlgorithms.Contains(IsServer ? ExtInfoClient : ExtInfoServer);
        }

        NegotiatedAlgorithms negotiated = NegotiatedAlgorithms.Negotiate(client, server);
        // RFC 4253 section 7.1: the peer's guess is right only when both sides put the same kex and host key
        // algorithm first. Matching what was negotiated is not enough: a client whose first choice the server also
        // supports still judges its guess wrong when the server prefers another, and sends the packet again.
        bool ignoreGuess = peer.FirstKexPacketFollows &&
            (peer.KexAlgorithms.FirstOrDefault() != ours.KexAlgorithms.FirstOrDefault()
             || peer.HostKeyAlgorithms.FirstOrDefault() != ours.HostKeyAlgorithms.FirstOrDefault());
        if (ignoreGuess)
        {
            await ReadKexPacketAsync(0, initial, cancellationToken).ConfigureAwait(false);
        }

        string clientVersion = IsServer ? RemoteVersion : LocalVersion;
        string serverVersion = IsServer ? LocalVersion : RemoteVersion;
        KeyExchangeAlgorithm algorithm = negotiated.KeyExchange;
        byte initNumber = MessageNumber.KexEcdhInit, replyNumber = MessageNumber.KexEcdhReply;
        byte[] groupFields = [];
        IKeyExchange kex;
        if (algorithm.IsGroupExchange)
        {
            (kex, groupFields) = IsServer
                ? await ServeGroupExchangeAsync(algorithm, initial, cancellationToken).ConfigureAwait(false)
                : await RequestGroupExchangeAsync(algorithm, negotiated, initial, cancellationToken).ConfigureAwait(false);
            initNumber = MessageNumber.KexDhGexInit;
            replyNumber = MessageNumber.KexDhGexReply;
        }
        else
        {
            kex = algorithm.Create();
        }

        using IKeyExchange kexScope = kex;
        byte[] secret;
        byte[] exchangeHash;
        if (IsServer)
        {
            ReadOnlyMemory<byte> init = await ReadKexPacketAsync(initNumber, initial, cancellationToken).ConfigureAwait(false);
            byte[] clientPublic = KexEcdhInitMessage.Read(init.Span, initNumber).ToArray();
            byte[] serverPublic = kex.CreateServerReply(clientPublic, out secret);
            (SshPrivateKey hostKey, byte[] hostKeyBlob) = HostKeyAlgorithms.ServerKey(_settings, negotiated.HostKey);
            exchangeHash = ComputeExchangeHash(algorithm, clientVersion, serverVersion, clientInit, serverInit, hostKeyBlob, groupFields, clientPublic, serverPublic, secret);
            byte[] signature = hostKey.Sign(SshCertificate.BaseAlgorithm(negotiated.HostKey), exchangeHash);
            using var reply = new SshBuffer(1024);
            KexEcdhReplyMessage.Write(reply, hostKeyBlob, serverPublic, signature, replyNumber);
            SendKex(reply);
        }
        else
        {
            byte[] clientPublic = kex.CreateClientPublic();
            using (var init = new SshBuffer(256))
            {
                KexEcdhInitMessage.Write(init, clientPublic, initNumber);
                SendKex(init);
            }

            ReadOnlyMemory<byte> replyPayload = await ReadKexPacketAsync(replyNumber, initial, cancellationToken).ConfigureAwait(false);
            KexEcdhReplyMessage reply = KexEcdhReplyMessage.Read(replyPayload.Span, replyNumber);
            byte[] hostKeyBlob = reply.HostKey.ToArray();
            byte[] signatureBlob = reply.Signature.ToArray();
            secret = kex.ComputeClientSecret(reply.ServerPublic);
            exchangeHash = ComputeExchangeHash(algorithm, clientVersion, serverVersion, clientInit, serverInit, hostKeyBlob, groupFields, clientPublic, reply.ServerPublic, secret);
            SshPublicKey hostKey = VerifyServerSignature(negotiated.HostKey, hostKeyBlob, signatureBlob, exchangeHash);
            if (initial)
            {
                if (_settings.VerifyHostKey is not null)
                {
                    await _settings.VerifyHostKey(hostKey).ConfigureAwait(false);
                }

                _hostKey = hostKey;
            }
            else if (!hostKey.Equals(_hostKey))
            {
                throw new SshConnectionException(DisconnectReason.HostKeyNotVerifiable, "The server's host key changed during key re-exchange.");
            }
        }

        if (initial)
        {
            SessionId = exchangeHash;
        }

        byte[] encodedSecret = KeyDerivation.EncodeSecret(secret, negotiated.KeyExchange.SecretIsString);
        CryptographicOperations.ZeroMemory(secret);
        (IPacketEncryptor encryptor, IPacketDecryptor decryptor) = CreateCiphers(negotiated, IsServer, encodedSecret, exchangeHash, SessionId);
        CryptographicOperations.ZeroMemory(encodedSecret);

        try
        {
            SetPendingEncryptor(encryptor);
            SetNegotiatedCompression(negotiated);
            _pendingResetSequence = _strictKex;
            SetRekeyLimits(negotiated);
            using (var newKeys = new SshBuffer(8))
            {
                newKeys.Writer.WriteByte(MessageNumber.NewKeys);
                SendKex(newKeys, PacketAction.EndKeyExchange);
            }

            if (initial && IsServer && _peerSupportsExtInfo)
            {
                SendServerSignatureAlgorithms();
            }

            await ReadKexPacketAsync(MessageNumber.NewKeys, initial, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The new receive keys never came into use; the writer (or its shutdown) disposes the encryptor.
            decryptor.Dispose();
            throw;
        }

        InstallDecryptor(decryptor, _strictKex);
        if (initial)
        {
            _extInfoPacket = _packetsReceived + 1;
        }

        ActivateReceiveCompression(negotiated);
        Negotiated = negotiated;
        KeyExchangeCount++;
        lock (_kexLock)
        {
            _kexInitSent = false;
            StopKexTimer();
        }

        _firstKexDone = true;
        Logger.LogDebug(SshLogEvents.Transport.KeyExchangeDone, "Key exchange {Count} done: {Kex}, {HostKey}, {Cipher}", KeyExchangeCount, negotiated.KeyExchange.Name, negotiated.HostKey, negotiated.CipherClientToServer.Name);
        RestartRekeyTimer();
    }

    private void SendServerSignatureAlgorithms()
    {
        string[] algorithms = [.. AlgorithmCatalog.HostKey.Where(_settings.Algorithms.HostKey.Contains)];
        using var buffer = new SshBuffer();
        new ExtInfoMessage(new Dictionary<string, byte[]> { ["server-sig-algs"] = Encoding.ASCII.GetBytes(string.Join(',', algorithms)) }).WriteTo(buffer);
        SendKex(buffer);
    }

    /// <summary>Reads the next key exchange packet; <paramref name="expected"/> 0 accepts any kex message (a wrong guess to discard).</summary>
    private async ValueTask<ReadOnlyMemory<byte>> ReadKexPacketAsync(byte expected, bool initial, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadOnlyMemory<byte> payload = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            byte number = payload.Span[0];
            if (number == expected || (expected == 0 && number is >= 30 and <= 49))
            {
                return payload;
            }

            if (number == MessageNumber.Disconnect)
            {
                await HandleTransportMessageAsync(payload, cancellationToken).ConfigureAwait(false);
            }

            bool harmless = number is MessageNumber.Ignore or MessageNumber.Debug or MessageNumber.Unimplemented;
            if (harmless && !(initial && _strictKex))
            {
                await HandleTransportMessageAsync(payload, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Unexpected message {number} during key exchange (expected {expected}).");
        }
    }

    /// <summary>H over the exchange's values; the buffer holding K is zeroed before it goes back to the pool.</summary>
    internal static byte[] ComputeExchangeHash(
        KeyExchangeAlgorithm kex, string clientVersion, string serverVersion, byte[] clientInit, byte[] serverInit,
        byte[] hostKey, ReadOnlySpan<byte> groupFields, ReadOnlySpan<byte> clientPublic, ReadOnlySpan<byte> serverPublic, byte[] secret)
    {
        using SshBuffer buffer = SshBuffer.ForSecret(4096);
        SshWriter w = buffer.Writer;
        w.WriteString(clientVersion);
        w.WriteString(serverVersion);
        w.WriteString(clientInit);
        w.WriteString(serverInit);
        w.WriteString(hostKey);
        w.WriteRaw(groupFields); // RFC 4419: uint32 min, n, max, mpint p, g (group exchange only)
        w.WriteString(clientPublic);
        w.WriteString(serverPublic);
        if (kex.SecretIsString)
        {
            w.WriteString(secret);
        }
        else
        {
            w.WriteMPInt(secret);
        }

        return CryptographicOperations.HashData(kex.Hash, buffer.WrittenSpan);
    }

    private static SshPublicKey VerifyServerSignature(string algorithm, byte[] hostKeyBlob, byte[] signatureBlob, byte[] exchangeHash)
    {
        SshPublicKey hostKey;
        try
        {
            hostKey = SshCertificate.IsCertificateType(algorithm)
                ? SshCertificate.FromBlob(hostKeyBlob)
                : SshPublicKey.FromBlob(hostKeyBlob);
        }
        catch (SshKeyFormatException ex)
        {
            throw new SshKeyExchangeException("The server sent an unreadable host key: " + ex.Message, ex);
        }

        var reader = new SshReader(signatureBlob);
        string signatureAlgorithm = reader.ReadAsciiString();
        if (signatureAlgorithm != SshCertificate.BaseAlgorithm(algorithm)
            || !hostKey.SignatureAlgorithms.Contains(algorithm)
            || !hostKey.VerifySignature(exchangeHash, signatureBlob))
        {
            throw new SshConnectionException(DisconnectReason.KeyExchangeFailed, $"The server's {algorithm} signature of the key exchange does not verify.");
        }

        return hostKey;
    }

    /// <summary>
    /// Derives the six keys (RFC 4253 section 7.2) and builds our two directions from them. The
    /// cipher and MAC objects copy what they need, so every derived array is zeroed before this
    /// returns, and a half-built pair is disposed if the second direction fails.
    /// </summary>
    internal static (IPacketEncryptor Encryptor, IPacketDecryptor Decryptor) CreateCiphers(NegotiatedAlgorithms n, bool isServer, byte[] secret, byte[] hash, byte[] sessionId)
    {
        HashAlgorithmName h = n.KeyExchange.Hash;
        byte[] Key(char letter, int size) => KeyDerivation.Derive(h, secret, hash, letter, sessionId, size);

        CipherAlgorithm c2s = n.CipherClientToServer, s2c = n.CipherServerToClient;
        byte[] ivC2s = Key('A', c2s.IvSize), ivS2c = Key('B', s2c.IvSize);
        byte[] keyC2s = Key('C', c2s.KeySize), keyS2c = Key('D', s2c.KeySize);
        byte[]? macC2s = n.MacClientToServer is { } mc ? Key('E', mc.KeySize) : null;
        byte[]? macS2c = n.MacServerToClient is { } ms ? Key('F', ms.KeySize) : null;
        IPacketEncryptor? encryptor = null;
        try
        {
            encryptor = isServer ? s2c.CreateEncryptor(keyS2c, ivS2c, n.MacServerToClient, macS2c) : c2s.CreateEncryptor(keyC2s, ivC2s, n.MacClientToServer, macC2s);
            IPacketDecryptor decryptor = isServer ? c2s.CreateDecryptor(keyC2s, ivC2s, n.MacClientToServer, macC2s) : s2c.CreateDecryptor(keyS2c, ivS2c, n.MacServerToClient, macS2c);
            return (encryptor, decryptor);
        }
        catch
        {
            encryptor?.Dispose();
            throw;
        }
        finally
        {
            foreach (byte[]? derived in (ReadOnlySpan<byte[]?>)[ivC2s, ivS2c, keyC2s, keyS2c, macC2s, macS2c])
            {
                CryptographicOperations.ZeroMemory(derived);
            }
        }
    }
}

using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Authentication;

/// <summary>The client side of RFC 4252: none, publickey, password, keyboard-interactive (RFC 4256; answers from the application's callback or the password).</summary>
internal sealed class ClientAuthenticator
{
    private const string ConnectionService = "ssh-connection";
    private readonly SshTransport _transport;
    private readonly SshClientOptions _options;
    private readonly IReadOnlyList<SshPrivateKey> _keys;
    private readonly IReadOnlyList<SshCertificate> _certificates;

    public ClientAuthenticator(SshTransport transport, SshClientOptions options, IReadOnlyList<SshPrivateKey> keys, IReadOnlyList<SshCertificate>? certificates = null)
    {
        _transport = transport;
        _options = options;
        _keys = keys;
        _certificates = certificates ?? [];
    }

    /// <summary>Authenticates; returns the method the server answered with success.</summary>
    public async Task<string> AuthenticateAsync(CancellationToken cancellationToken)
    {
        using (var request = new SshBuffer())
        {
            new ServiceMessage(MessageNumber.ServiceRequest, "ssh-userauth").WriteTo(request);
            await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        ReadOnlyMemory<byte> accept = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (accept.Span[0] != MessageNumber.ServiceAccept)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Expected SERVICE_ACCEPT, got message {accept.Span[0]}.");
        }

        (bool success, string[] methods, _) = await TryAsync("none", null, cancellationToken).ConfigureAwait(false);
        if (success)
        {
            return "none";
        }

        var tried = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            string? method = methods.FirstOrDefault(m => !tried.Contains(m) && CanTry(m));
            if (method is null)
            {
                throw new PermissionDeniedException(
                    $"Permission denied for {_options.UserName} (server allows: {string.Join(",", methods)}; tried: {(tried.Count == 0 ? "nothing usable" : string.Join(",", tried))}).",
                    methods);
            }

            tried.Add(method);
            bool partial;
            (success, methods, partial) = method switch
            {
                "publickey" => await PublicKeyAsync(cancellationToken).ConfigureAwait(false),
                "password" => await TryAsync("password", w =>
                {
                    w.WriteBoolean(false);
                    w.WriteString(_options.Password!);
                }, cancellationToken).ConfigureAwait(false),
                "keyboard-interactive" => await KeyboardInteractiveAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException(method),
            };
            if (success)
            {
                return method;
            }

            if (partial)
            {
                tried.Clear();
                tried.Add(method);
            }
        }
    }

    private bool CanTry(string method) => method switch
    {
        "publickey" => _keys.Count > 0,
        "password" => _options.Password is not null,
        "keyboard-interactive" => _options.KeyboardInteractive is not null || _options.Password is not null,
        _ => false,
    };

    private async Task<(bool Success, string[] Methods, bool Partial)> PublicKeyAsync(CancellationToken cancellationToken)
    {
        (bool, string[], bool) last = (false, [], false);
        foreach ((SshPrivateKey key, SshPublicKey offered) in KeysToOffer())
        {
            string algorithm = PickSignatureAlgorithm(offered);
            byte[] blob = offered.Blob.ToArray();
            byte[] signed = BuildSignedData(algorithm, blob);
            byte[] signature = key.Sign(SshCertificate.BaseAlgorithm(algorithm), signed);
            last = await TryAsync("publickey", w =>
            {
                w.WriteBoolean(true);
                w.WriteString(algorithm);
                w.WriteString(blob);
                w.WriteString(signature);
            }, cancellationToken).ConfigureAwait(false);
            if (last.Item1 || last.Item3)
            {
                return last;
            }

            _transport.Logger.LogDebug("Server rejected key {Key}", offered);
        }

        return last;
    }

    /// <summary>Each key, preceded by its certificates (OpenSSH's order: certificate first, then the plain key).</summary>
    private IEnumerable<(SshPrivateKey Key, SshPublicKey Offered)> KeysToOffer()
    {
        foreach (SshPrivateKey key in _keys)
        {
            foreach (SshCertificate certificate in _certificates)
            {
                if (certificate.Key.Equals(key.PublicKey))
                {
                    yield return (key, certificate);
                }
            }

            yield return (key, key.PublicKey);
        }
    }

    private string PickSignatureAlgorithm(SshPublicKey key)
    {
        IReadOnlyList<string> algorithms = key.SignatureAlgorithms;
        IReadOnlyList<string>? server = _transport.ServerSignatureAlgorithms;
        IReadOnlyList<string> ours = _options.Algorithms.HostKey;
        foreach (string a in algorithms)
        {
            string plain = SshCertificate.BaseAlgorithm(a);
            if ((server is null || server.Contains(plain)) && (plain != "ssh-rsa" || ours.Contains(plain)))
            {
                return a;
            }
        }

        return algorithms[0];
    }

    private byte[] BuildSignedData(string algorithm, byte[] blob)
    {
        // RFC 4252 section 7: string session identifier, byte SSH_MSG_USERAUTH_REQUEST, string user name,
        // string service name, string "publickey", boolean TRUE, string algorithm, string public key blob
        using var buffer = new SshBuffer(512);
        SshWriter w = buffer.Writer;
        w.WriteString(_transport.SessionId);
        WriteRequestHeader(w, "publickey");
        w.WriteBoolean(true);
        w.WriteString(algorithm);
        w.WriteString(blob);
        return buffer.ToArray();
    }

    private void WriteRequestHeader(SshWriter w, string method)
    {
        w.WriteByte(MessageNumber.UserAuthRequest);
        w.WriteString(_options.UserName);
        w.WriteString(ConnectionService);
        w.WriteString(method);
    }

    private async Task<(bool Success, string[] Methods, bool Partial)> KeyboardInteractiveAsync(CancellationToken cancellationToken)
    {
        Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>> answer =
            _options.KeyboardInteractive ?? SshKeyboardInteractive.PasswordResponder(_options.Password!);
        using (var request = new SshBuffer())
        {
            SshWriter w = request.Writer;
            WriteRequestHeader(w, "keyboard-interactive");
            w.WriteString(string.Empty); // language
            w.WriteString(string.Empty); // submethods
            await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            ReadOnlyMemory<byte> reply = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Span[0] != MessageNumber.UserAuthInfoRequest)
            {
                return ParseResult(reply.Span);
            }

            SshKeyboardInteractiveChallenge challenge = ReadInfoRequest(reply.Span);
            IReadOnlyList<string> answers = await answer(challenge, cancellationToken).ConfigureAwait(false);
            if (answers is null || answers.Count != challenge.Prompts.Count)
            {
                throw new SshConnectionException(
                    DisconnectReason.ByApplication,
                    $"The keyboard-interactive callback gave {answers?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} answer(s) to {challenge.Prompts.Count} prompt(s).");
            }

            // byte SSH_MSG_USERAUTH_INFO_RESPONSE, int num-responses, string response[1..n] (UTF-8)
            using var response = new SshBuffer();
            SshWriter w = response.Writer;
            w.WriteByte(MessageNumber.UserAuthInfoResponse);
            w.WriteUInt32((uint)answers.Count);
            foreach (string a in answers)
            {
                w.WriteString(a ?? string.Empty);
            }

            await _transport.SendAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SshKeyboardInteractiveChallenge ReadInfoRequest(ReadOnlySpan<byte> payload)
    {
        // byte SSH_MSG_USERAUTH_INFO_REQUEST, string name, string instruction, string language tag,
        // int num-prompts, then per prompt: string prompt, boolean echo (RFC 4256 section 3.2)
        var r = new SshReader(payload[1..]);
        // The application shows these to a person: escape control characters (ESC included) first.
        string name = PeerText.Sanitize(r.ReadUtf8String());
        string instruction = PeerText.Sanitize(r.ReadUtf8String(), PeerText.BannerMaxLength, multiline: true);
        r.ReadString();
        uint count = r.ReadUInt32();
        if (count > 64)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Too many keyboard-interactive prompts ({count}).");
        }

        var prompts = new SshPrompt[count];
        for (int i = 0; i < prompts.Length; i++)
        {
            prompts[i] = new SshPrompt(PeerText.Sanitize(r.ReadUtf8String(), multiline: true), r.ReadBoolean());
        }

        return new SshKeyboardInteractiveChallenge(name, instruction, prompts);
    }

    private async Task<(bool Success, string[] Methods, bool Partial)> TryAsync(string method, Action<SshWriter>? body, CancellationToken cancellationToken)
    {
        using (var request = new SshBuffer())
        {
            SshWriter w = request.Writer;
            WriteRequestHeader(w, method);
            body?.Invoke(w);
            await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        ReadOnlyMemory<byte> reply = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        return ParseResult(reply.Span);
    }

    private static (bool Success, string[] Methods, bool Partial) ParseResult(ReadOnlySpan<byte> reply)
    {
        switch (reply[0])
        {
            case MessageNumber.UserAuthSuccess:
                return (true, [], false);
            case MessageNumber.UserAuthFailure:
                // byte SSH_MSG_USERAUTH_FAILURE, name-list authentications that can continue, boolean partial success
                var r = new SshReader(reply[1..]);
                string[] methods = r.ReadNameList();
                bool partial = r.ReadBoolean();
                return (false, methods, partial);
            default:
                throw new SshConnectionException(DisconnectReason.ProtocolError, $"Unexpected message {reply[0]} during authentication.");
        }
    }

    /// <summary>Next auth reply; banners go to the application on the way.</summary>
    private async Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadOnlyMemory<byte> payload = await _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (payload.Span[0] == MessageNumber.UserAuthBanner)
            {
                // byte SSH_MSG_USERAUTH_BANNER, string message (UTF-8), string language tag
                var r = new SshReader(payload.Span[1..]);
                string banner = PeerText.Sanitize(r.ReadUtf8String(), PeerText.BannerMaxLength, multiline: true);
                _options.BannerReceived?.Invoke(banner);
                continue;
            }

            return payload;
        }
    }
}

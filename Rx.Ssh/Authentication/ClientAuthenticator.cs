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
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly IClientAuthSettings _settings;
    private readonly List<Exception> _signerErrors = [];

    public ClientAuthenticator(SshTransport transport, IClientAuthSettings settings, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _logger = logger ?? transport.Logger;
        _transport = transport;
        _settings = settings;
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
            string? method = (_settings.PreferredMethods is { } preferred ? preferred.Where(methods.Contains) : methods)
                .FirstOrDefault(m => !tried.Contains(m) && CanTry(m));
            if (method is null)
            {
                throw new SshPermissionDeniedException(
                    $"Permission denied for {_settings.UserName} (server allows: {string.Join(",", methods)}; tried: {(tried.Count == 0 ? "nothing usable" : string.Join(",", tried))}){SignerErrorText()}.",
                    methods,
                    SignerError());
            }

            tried.Add(method);
            _logger.LogDebug(SshLogEvents.Authentication.MethodTried, "Trying authentication method {Method} for {User}", method, _settings.UserName);
            bool partial;
            (success, methods, partial) = method switch
            {
                "publickey" => await PublicKeyAsync(methods, cancellationToken).ConfigureAwait(false),
                "password" => await TryAsync("password", w =>
                {
                    w.WriteBoolean(false);
                    w.WriteString(_settings.Password!);
                }, cancellationToken).ConfigureAwait(false),
                "keyboard-interactive" => await KeyboardInteractiveAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException(method),
            };
            if (success)
            {
                _logger.LogDebug(SshLogEvents.Authentication.Authenticated, "Authenticated as {User} with {Method}", _settings.UserName, method);
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
        "publickey" => _settings.Signers.Count > 0,
        "password" => _settings.Password is not null,
        "keyboard-interactive" => _settings.KeyboardInteractive is not null || _settings.Password is not null,
        _ => false,
    };

    private async Task<(bool Success, string[] Methods, bool Partial)> PublicKeyAsync(string[] methods, CancellationToken cancellationToken)
    {
        // When no key could be tried, the server's last list still stands.
        (bool, string[], bool) last = (false, methods, false);
        foreach ((ISshSigner signer, SshPublicKey offered) in KeysToOffer())
        {
            if (PickSignatureAlgorithm(signer, offered) is not { } algorithm)
            {
                _logger.LogDebug(SshLogEvents.Authentication.KeySkipped, "Skipping key {Key}: its signer can make none of its signature algorithms", offered);
                continue;
            }

            byte[] blob = offered.Blob.ToArray();
            byte[] signed = BuildSignedData(algorithm, blob);
            byte[] signature;
            try
            {
                signature = await SignAsync(signer, SshCertificate.BaseAlgorithm(algorithm), signed, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A broken signer (an agent that went away, a token unplugged) costs its key, not the login.
                _logger.LogWarning(SshLogEvents.Authentication.SignerFailed, "The signer for {Key} failed: {Error}", offered, e.Message);
                _signerErrors.Add(e);
                continue;
            }

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

            _logger.LogDebug(SshLogEvents.Authentication.KeyRejected, "Server rejected key {Key}", offered);
        }

        return last;
    }

    /// <summary>
    /// Each signer's key, preceded by its certificates (OpenSSH's order: certificate first, then the
    /// plain key); a signer whose key is a certificate is offered as that certificate only. A key or
    /// certificate already offered (an agent holding a key also given as a file) is not offered again:
    /// every offer counts against the server's MaxAuthTries.
    /// </summary>
    private IEnumerable<(ISshSigner Signer, SshPublicKey Offered)> KeysToOffer()
    {
        var offered = new HashSet<SshPublicKey>();
        foreach (ISshSigner signer in _settings.Signers)
        {
            if (signer.PublicKey is SshCertificate own)
            {
                if (offered.Add(own))
                {
                    yield return (signer, own);
                }

                continue;
            }

            foreach (SshCertificate certificate in _settings.Certificates)
            {
                if (certificate.Key.Equals(signer.PublicKey) && offered.Add(certificate))
                {
                    yield return (signer, certificate);
                }
            }

            if (offered.Add(signer.PublicKey))
            {
                yield return (signer, signer.PublicKey);
            }
        }
    }

    /// <summary>
    /// The first of the key's algorithms that the signer can make and the server accepts
    /// (<c>server-sig-algs</c>; <c>ssh-rsa</c> only when our preferences list it), else the first the
    /// signer can make; null when it can make none.
    /// </summary>
    private string? PickSignatureAlgorithm(ISshSigner signer, SshPublicKey key)
    {
        IReadOnlyList<string>? server = _transport.ServerSignatureAlgorithms;
        IReadOnlyList<string> ours = _settings.AllowedSignatureAlgorithms;
        IReadOnlyList<string> possible = signer.SignatureAlgorithms;
        IReadOnlyList<string>? accepted = _settings.AcceptedPublicKeyAlgorithms;
        string? fallback = null;
        foreach (string a in key.SignatureAlgorithms)
        {
            string plain = SshCertificate.BaseAlgorithm(a);
            if ((!possible.Contains(plain) && !possible.Contains(a)) || (accepted is not null && !accepted.Contains(a)))
            {
                continue;
            }

            fallback ??= a;
            if ((server is null || server.Contains(plain)) && (plain != "ssh-rsa" || ours.Contains(plain) || accepted?.Contains(a) == true))
            {
                return a;
            }
        }

        return fallback;
    }

    /// <summary>
    /// Awaits the signer (abandoning it when <paramref name="cancellationToken"/> fires, should it not
    /// listen) and checks that the blob is a signature of <paramref name="algorithm"/>.
    /// </summary>
    private static async Task<byte[]> SignAsync(ISshSigner signer, string algorithm, byte[] data, CancellationToken cancellationToken)
    {
        ValueTask<byte[]> pending = signer.SignAsync(algorithm, data, cancellationToken);
        byte[]? signature = pending.IsCompleted
            ? await pending.ConfigureAwait(false)
            : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        string? made = null;
        try
        {
            // string algorithm, string signature
            var r = new SshReader(signature ?? []);
            made = r.ReadAsciiString();
            r.ReadString();
            r.ReadEnd();
        }
        catch (SshFormatException)
        {
        }

        if (made != algorithm)
        {
            throw new SshException(made is null
                ? $"the signer returned a malformed signature blob for {algorithm}"
                : $"the signer returned a {PeerText.Sanitize(made)} signature when {algorithm} was asked");
        }

        return signature!;
    }

    private Exception? SignerError() => _signerErrors.Count switch
    {
        0 => null,
        1 => _signerErrors[0],
        _ => new AggregateException("Several signers failed.", _signerErrors),
    };

    private string SignerErrorText() => _signerErrors.Count == 0 ? string.Empty : $"; a signer failed: {_signerErrors[0].Message}";

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
        w.WriteString(_settings.UserName);
        w.WriteString(ConnectionService);
        w.WriteString(method);
    }

    private async Task<(bool Success, string[] Methods, bool Partial)> KeyboardInteractiveAsync(CancellationToken cancellationToken)
    {
        Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>> answer =
            _settings.KeyboardInteractive ?? SshKeyboardInteractive.PasswordResponder(_settings.Password!);
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
                _settings.OnBanner(banner);
                continue;
            }

            return payload;
        }
    }
}

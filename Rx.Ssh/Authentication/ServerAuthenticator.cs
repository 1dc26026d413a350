using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Algorithms;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Transport;
using Rx.Ssh.Trust;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Authentication;

/// <summary>What authentication established.</summary>
internal sealed record ServerAuthResult(string UserName, AuthorizedKeyOptions? KeyOptions, SshCertificate? Certificate = null);

/// <summary>
/// The server side of RFC 4252 (and RFC 4256 keyboard-interactive): answers the client's requests
/// with the decisions of an <see cref="IServerAuthPolicy"/> (the server's handler and options), counting every failure but the first
/// <c>none</c> (failed public key queries included, so keys cannot be probed without limit),
/// answering every counted failure at its <see cref="FailureTiming"/> target, and refusing anything but
/// authentication until it succeeds.
/// </summary>
internal sealed class ServerAuthenticator
{
    private const string ConnectionService = "ssh-connection";
    private readonly SshTransport _transport;
    private readonly IServerAuthPolicy _policy;
    private readonly EndPoint? _remote;
    private readonly HashSet<string> _usersTried = new(StringComparer.Ordinal);
    private string? _currentUser;
    private bool _currentRequired;
    private int _failures;

    /// <summary>Authentication attempts that failed so far (for the source penalties when the connection then ends).</summary>
    public int Failures => _failures;
    private bool _noneSeen;
    private DateTimeOffset _workStarted;

    public ServerAuthenticator(SshTransport transport, IServerAuthPolicy policy, EndPoint? remote)
    {
        _transport = transport;
        _policy = policy;
        _remote = remote;
    }

    public async Task<ServerAuthResult> AuthenticateAsync(CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> first = await _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (first.Span[0] != MessageNumber.ServiceRequest)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Expected SERVICE_REQUEST, got message {first.Span[0]}.");
        }

        string service = ServiceMessage.Read(first.Span, MessageNumber.ServiceRequest).ServiceName;
        if (service != "ssh-userauth")
        {
            throw new SshConnectionException(DisconnectReason.ServiceNotAvailable, $"Service '{service}' is not available.");
        }

        using (var accept = new SshBuffer())
        {
            new ServiceMessage(MessageNumber.ServiceAccept, service).WriteTo(accept);
            await _transport.SendAsync(accept, cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(_policy.Banner))
        {
            // byte SSH_MSG_USERAUTH_BANNER, string message (UTF-8), string language tag
            using var banner = new SshBuffer();
            banner.Writer.WriteByte(MessageNumber.UserAuthBanner);
            banner.Writer.WriteString(_policy.Banner);
            banner.Writer.WriteString(string.Empty);
            await _transport.SendAsync(banner, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            ReadOnlyMemory<byte> payload = await _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (payload.Span[0] != MessageNumber.UserAuthRequest)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolError, $"Message {payload.Span[0]} is not allowed before authentication.");
            }

            ServerAuthResult? result = await HandleRequestAsync(payload, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                using var success = new SshBuffer(8);
                success.Writer.WriteByte(MessageNumber.UserAuthSuccess);
                await _transport.SendAsync(success, cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>Handles one USERAUTH_REQUEST; returns the result on success, null when a reply (failure, PK_OK, info request) went out.</summary>
    private async Task<ServerAuthResult?> HandleRequestAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _workStarted = _policy.Scheduler.Now;
        // byte SSH_MSG_USERAUTH_REQUEST, string user name, string service name, string method name, method-specific fields
        string user, service, method;
        {
            var r = new SshReader(payload.Span[1..]);
            user = r.ReadUtf8String();
            service = r.ReadAsciiString();
            method = r.ReadAsciiString();
        }

        if (service != ConnectionService)
        {
            throw new SshConnectionException(DisconnectReason.ServiceNotAvailable, $"Service '{service}' is not available.");
        }

        if (!UserNameRules.IsAcceptable(user))
        {
            // Never handed to the application (it may become a path or a log line), never logged verbatim.
            _transport.Logger.LogInformation("Refused a malformed user name ({Bytes} bytes) from {Remote}", System.Text.Encoding.UTF8.GetByteCount(user), _remote);
            await FailAsync(true, method, "(malformed user name)", string.Empty, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (user != _currentUser)
        {
            // A new (or returning) user name: begin auth again, so the handler's per-user state
            // (AuthorizedKeys) is that user's and not the previous one's.
            if (_usersTried.Add(user) && _usersTried.Count > 16)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolError, "Too many user names tried on one connection.");
            }

            _currentUser = null;
            _currentRequired = await _policy.BeginAuthAsync(user, cancellationToken).ConfigureAwait(false);
            _currentUser = user;
        }

        bool required = _currentRequired;

        var context = new SshAuthContext(user, _remote, _transport.RemoteVersion) { CancellationToken = cancellationToken };
        if (!required)
        {
            return new ServerAuthResult(user, null);
        }

        Outcome outcome = method switch
        {
            "none" => Outcome.Fail(counts: !NoteNone()),
            "password" when _policy.PasswordAuthSupported => await PasswordAsync(payload, context).ConfigureAwait(false),
            "publickey" when _policy.PublicKeyAuthSupported => await PublicKeyAsync(payload, context, cancellationToken).ConfigureAwait(false),
            "keyboard-interactive" when _policy.KeyboardInteractiveAuthSupported => await KeyboardInteractiveAsync(context, cancellationToken).ConfigureAwait(false),
            _ => Outcome.Fail(counts: true),
        };

        if (outcome.Success)
        {
            _transport.Logger.LogInformation("Accepted {Method} for {User} from {Remote}", method, user, _remote);
            return new ServerAuthResult(user, outcome.KeyOptions, outcome.Certificate);
        }

        if (outcome.Replied)
        {
            return null;
        }

        await FailAsync(outcome.Counts, method, user, user, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>True for the first <c>none</c> request of the connection (the one every client sends to learn the methods).</summary>
    private bool NoteNone()
    {
        bool first = !_noneSeen;
        _noneSeen = true;
        return first;
    }

    /// <summary>
    /// Answers a failed request: counts it and (unless <paramref name="counts"/> is false) waits until its
    /// time (<see cref="FailureTiming"/> for <paramref name="timingName"/>), disconnects when the
    /// attempts are used up, else sends USERAUTH_FAILURE.
    /// </summary>
    private async Task FailAsync(bool counts, string method, string? logUser, string timingName, CancellationToken cancellationToken)
    {
        if (counts)
        {
            _failures++;
            _transport.Logger.LogInformation("Failed {Method} for {User} from {Remote}", method, logUser, _remote);
        }

        // The opening none (not counted) is how every client learns the methods: answered at once,
        // as sshd does, so a login does not pay a failure delay before it has tried anything.
        if (counts)
        {
            await DelayFailureAsync(timingName, cancellationToken).ConfigureAwait(false);
        }

        if (_failures >= _policy.MaxAuthAttempts)
        {
            throw new SshConnectionException(DisconnectReason.NoMoreAuthMethodsAvailable, "Too many authentication failures.");
        }

        await SendFailureAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SendFailureAsync(CancellationToken cancellationToken)
    {
        // byte SSH_MSG_USERAUTH_FAILURE, name-list authentications that can continue, boolean partial success
        var methods = new List<string>(3);
        if (_policy.PublicKeyAuthSupported)
        {
            methods.Add("publickey");
        }

        if (_policy.KeyboardInteractiveAuthSupported)
        {
            methods.Add("keyboard-interactive");
        }

        if (_policy.PasswordAuthSupported)
        {
            methods.Add("password");
        }

        using var failure = new SshBuffer();
        failure.Writer.WriteByte(MessageNumber.UserAuthFailure);
        failure.Writer.WriteString(string.Join(',', methods));
        failure.Writer.WriteBoolean(false);
        await _transport.SendAsync(failure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits, on the scheduler, until the user's target time (<see cref="FailureTiming"/>) after the
    /// work on the request started, or the next multiple of it when the work took longer.
    /// </summary>
    private async Task DelayFailureAsync(string timingName, CancellationToken cancellationToken)
    {
        TimeSpan target = FailureTiming.TargetFor(timingName, _policy.AuthFailureDelay);
        TimeSpan elapsed = _policy.Scheduler.Now - _workStarted;
        TimeSpan remaining = FailureTiming.AnswerAfter(target, elapsed) - elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Observable.Timer(remaining, _policy.Scheduler).ToTask(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Outcome> PasswordAsync(ReadOnlyMemory<byte> payload, SshAuthContext context)
    {
        // ... string "password", boolean FALSE, string plaintext password (a TRUE flag is a password change: refused)
        string password;
        {
            SshReader r = SkipHeader(payload.Span);
            if (r.ReadBoolean())
            {
                return Outcome.Fail(counts: true);
            }

            password = r.ReadUtf8String();
        }

        return await _policy.ValidatePasswordAsync(context, password, context.CancellationToken).ConfigureAwait(false) ? Outcome.Succeeded(null) : Outcome.Fail(counts: true);
    }

    private async Task<Outcome> PublicKeyAsync(ReadOnlyMemory<byte> payload, SshAuthContext context, CancellationToken cancellationToken)
    {
        // ... string "publickey", boolean has signature, string algorithm, string key blob, [string signature]
        bool hasSignature;
        string algorithm;
        byte[] blob;
        byte[]? signature;
        int signedLength;
        {
            SshReader r = SkipHeader(payload.Span);
            hasSignature = r.ReadBoolean();
            algorithm = r.ReadAsciiString();
            blob = r.ReadString().ToArray();
            signedLength = payload.Length - r.Remaining;
            signature = hasSignature ? r.ReadString().ToArray() : null;
            r.ReadEnd();
        }

        string signatureAlgorithm = SshCertificate.BaseAlgorithm(algorithm);
        if (!_policy.AllowedSignatureAlgorithms.Contains(signatureAlgorithm) || !AlgorithmCatalog.HostKey.Contains(signatureAlgorithm))
        {
            return Outcome.Fail(counts: true);
        }

        SshPublicKey key;
        try
        {
            key = signatureAlgorithm == algorithm ? SshPublicKey.FromBlob(blob) : SshCertificate.FromBlob(blob);
        }
        catch (SshKeyFormatException e)
        {
            _transport.Logger.LogInformation("Refused public key of {User} from {Remote}: {Error}", context.UserName, _remote, e.Message);
            return Outcome.Fail(counts: true);
        }

        AuthorizedKeyOptions? certificateOptions = null;
        AuthorizedKeyEntry? entry = null;
        if (!key.SignatureAlgorithms.Contains(algorithm) || _policy.IsRevoked(key))
        {
            return Outcome.Fail(counts: true);
        }

        if (key is SshCertificate certificate)
        {
            try
            {
                certificateOptions = await _policy.AuthorizeCertificateAsync(context, certificate, context.CancellationToken).ConfigureAwait(false);
            }
            catch (SshCertificateException e)
            {
                _transport.Logger.LogInformation("Refused certificate of {User} from {Remote}: {Error}", context.UserName, _remote, e.Message);
                return Outcome.Fail(counts: true);
            }
        }
        else
        {
            (bool accepted, entry) = await _policy.ValidatePublicKeyAsync(context, key, context.CancellationToken).ConfigureAwait(false);
            if (!accepted)
            {
                return Outcome.Fail(counts: true);
            }
        }

        if (signature is null)
        {
            // byte SSH_MSG_USERAUTH_PK_OK, string algorithm, string key blob
            using var ok = new SshBuffer();
            ok.Writer.WriteByte(MessageNumber.UserAuthPkOk);
            ok.Writer.WriteString(algorithm);
            ok.Writer.WriteString(blob);
            await _transport.SendAsync(ok, cancellationToken).ConfigureAwait(false);
            return Outcome.ReplySent;
        }

        // Signed data: string session identifier, then the request up to (not including) the signature.
        byte[] signed = new byte[4 + _transport.SessionId.Length + signedLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(signed, (uint)_transport.SessionId.Length);
        _transport.SessionId.CopyTo(signed.AsSpan(4));
        payload.Span[..signedLength].CopyTo(signed.AsSpan(4 + _transport.SessionId.Length));
        var sr = new SshReader(signature);
        if (sr.ReadAsciiString() != signatureAlgorithm || !key.VerifySignature(signed, signature))
        {
            return Outcome.Fail(counts: true);
        }

        if (key is SshCertificate signedCertificate)
        {
            return Outcome.Succeeded(certificateOptions) with { Certificate = signedCertificate };
        }

        if (entry is not null && entry.Options.IsExpired(_policy.Scheduler.Now))
        {
            // The line's expiry-time passed while the request was checked: refuse rather than
            // let the key in without the line's restrictions.
            _transport.Logger.LogInformation("Refused public key of {User} from {Remote}: its authorized_keys entry expired during authentication", context.UserName, _remote);
            return Outcome.Fail(counts: true);
        }

        return Outcome.Succeeded(entry?.Options);
    }

    private async Task<Outcome> KeyboardInteractiveAsync(SshAuthContext context, CancellationToken cancellationToken)
    {
        SshKeyboardInteractiveChallenge? challenge = await _policy.GetKeyboardInteractiveChallengeAsync(context, context.CancellationToken).ConfigureAwait(false);
        while (challenge is not null)
        {
            using (var request = new SshBuffer())
            {
                // byte SSH_MSG_USERAUTH_INFO_REQUEST, string name, string instruction, string language, int num-prompts, {string prompt, boolean echo}
                SshWriter w = request.Writer;
                w.WriteByte(MessageNumber.UserAuthInfoRequest);
                w.WriteString(challenge.Name);
                w.WriteString(challenge.Instruction);
                w.WriteString(string.Empty);
                w.WriteUInt32((uint)challenge.Prompts.Count);
                foreach (SshPrompt prompt in challenge.Prompts)
                {
                    w.WriteString(prompt.Text);
                    w.WriteBoolean(prompt.Echo);
                }

                await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            ReadOnlyMemory<byte> reply = await _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            _workStarted = _policy.Scheduler.Now; // the client's thinking time is not the server's work
            if (reply.Span[0] != MessageNumber.UserAuthInfoResponse)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolError, $"Expected USERAUTH_INFO_RESPONSE, got message {reply.Span[0]}.");
            }

            // byte SSH_MSG_USERAUTH_INFO_RESPONSE, int num-responses, string response[num-responses]
            var answers = new List<string>();
            {
                var r = new SshReader(reply.Span[1..]);
                uint count = r.ReadUInt32();
                if (count != challenge.Prompts.Count)
                {
                    throw new SshConnectionException(DisconnectReason.ProtocolError, $"Expected {challenge.Prompts.Count} keyboard-interactive answers, got {count}.");
                }

                for (uint i = 0; i < count; i++)
                {
                    answers.Add(r.ReadUtf8String());
                }

                r.ReadEnd();
            }

            SshKeyboardInteractiveResult result = await _policy.ValidateKeyboardInteractiveResponseAsync(context, answers, context.CancellationToken).ConfigureAwait(false);
            if (result.Success)
            {
                return Outcome.Succeeded(null);
            }

            challenge = result.Next;
        }

        return Outcome.Fail(counts: true);
    }

    private static SshReader SkipHeader(ReadOnlySpan<byte> payload)
    {
        var r = new SshReader(payload[1..]);
        r.ReadString();
        r.ReadString();
        r.ReadString();
        return r;
    }

    private readonly record struct Outcome(bool Success, bool Replied, bool Counts, AuthorizedKeyOptions? KeyOptions)
    {
        public SshCertificate? Certificate { get; init; }

        public static Outcome ReplySent => new(false, true, false, null);

        public static Outcome Fail(bool counts) => new(false, false, counts, null);

        public static Outcome Succeeded(AuthorizedKeyOptions? options) => new(true, false, false, options);
    }
}

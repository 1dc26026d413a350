using System.Text;
using Rx.Ssh.Agent;
using Rx.Ssh.Keys;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>The agent's requests (draft-ietf-sshm-ssh-agent section 3).</summary>
public sealed partial class SshAgentClient
{
    /// <summary>
    /// Lists the agent's identities: its keys and certificates (a certificate is its own identity, an
    /// <see cref="SshCertificate"/> as <see cref="SshAgentIdentity.PublicKey"/>), in the agent's order.
    /// Keys of types this library does not know (DSA, security keys) are left out.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="SshAgentException">The agent cannot be reached, refused, answered garbage or did not answer in time.</exception>
    public async Task<IReadOnlyList<SshAgentIdentity>> GetIdentitiesAsync(CancellationToken cancellationToken = default)
    {
        byte[] reply = await RequestAsync(new[] { AgentProtocol.RequestIdentities }, "list identities", cancellationToken).ConfigureAwait(false);
        Expect(reply, AgentProtocol.IdentitiesAnswer, "list identities");
        try
        {
            return ParseIdentities(reply);
        }
        catch (Exception e) when (e is SshFormatException or SshKeyFormatException)
        {
            throw InvalidReply($"the identities answer is malformed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Asks the agent to sign <paramref name="data"/> with the private key of <paramref name="key"/>
    /// (a key or certificate it listed) and returns the SSH signature blob (<c>string algorithm, string
    /// signature</c>). For RSA, <c>rsa-sha2-256</c> and <c>rsa-sha2-512</c> are asked with the agent's
    /// SHA-2 flags; the answer must be a signature of <paramref name="signatureAlgorithm"/>.
    /// </summary>
    /// <param name="key">The public key or certificate to sign with.</param>
    /// <param name="signatureAlgorithm">A plain signature algorithm of the key, e.g. <c>ssh-ed25519</c> or <c>rsa-sha2-512</c>.</param>
    /// <param name="data">The bytes to sign.</param>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="ArgumentException"><paramref name="signatureAlgorithm"/> is not one of the key's.</exception>
    /// <exception cref="SshAgentException">The agent refused (it does not hold the key, is locked, the user declined), answered another algorithm or garbage, or did not answer in time.</exception>
    public async Task<byte[]> SignAsync(SshPublicKey key, string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signatureAlgorithm);
        if (!SshAgentIdentity.PlainAlgorithms(key).Contains(signatureAlgorithm))
        {
            throw new ArgumentException($"a {key.KeyType} key cannot make '{signatureAlgorithm}' signatures", nameof(signatureAlgorithm));
        }

        using var request = new SshBuffer(64 + key.Blob.Length + data.Length);
        SshWriter w = request.Writer;
        w.WriteByte(AgentProtocol.SignRequest);
        w.WriteString(key.Blob.Span);
        w.WriteString(data.Span);
        w.WriteUInt32(AgentProtocol.SignFlags(signatureAlgorithm));
        string what = $"sign with {key}";
        byte[] reply = await RequestAsync(request.WrittenSpan.ToArray(), what, cancellationToken).ConfigureAwait(false);
        Expect(reply, AgentProtocol.SignResponse, what);
        byte[] signature;
        string made;
        try
        {
            var r = new SshReader(reply.AsSpan(1));
            signature = r.ReadString().ToArray();
            r.ReadEnd();
            var s = new SshReader(signature);
            made = s.ReadAsciiString();
            s.ReadString();
            s.ReadEnd();
        }
        catch (SshFormatException e)
        {
            throw InvalidReply($"the signature answer is malformed: {e.Message}", e);
        }

        if (made != signatureAlgorithm)
        {
            throw InvalidReply($"the agent made a {PeerText.Sanitize(made)} signature when {signatureAlgorithm} was asked");
        }

        return signature;
    }

    /// <summary>
    /// Gives the agent a private key to hold (<c>ssh-add</c>), with <paramref name="certificate"/> when
    /// given (the agent then lists the certificate as an identity of its own), under
    /// <paramref name="constraints"/>. The key's <see cref="SshPrivateKey.Comment"/> goes with it.
    /// </summary>
    /// <param name="key">The private key (left untouched; the agent gets a copy).</param>
    /// <param name="constraints">A lifetime or confirmation; null for none.</param>
    /// <param name="certificate">A certificate of <paramref name="key"/>, or null to add the plain key.</param>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="ArgumentException"><paramref name="certificate"/> certifies another key.</exception>
    /// <exception cref="SshAgentException">The agent refused the key (or its constraints), or failed.</exception>
    public async Task AddAsync(SshPrivateKey key, SshAgentKeyConstraints? constraints = null, SshCertificate? certificate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (certificate is not null && !certificate.Key.Equals(key.PublicKey))
        {
            throw new ArgumentException("the certificate does not certify this key", nameof(certificate));
        }

        using var request = SshBuffer.ForSecret(2048);
        SshWriter w = request.Writer;
        bool constrained = constraints is { Any: true };
        w.WriteByte(constrained ? AgentProtocol.AddIdentityConstrained : AgentProtocol.AddIdentity);
        if (certificate is null)
        {
            w.WriteString(key.KeyType);
            key.WriteOpenSshFields(ref w);
        }
        else
        {
            w.WriteString(certificate.KeyType);
            w.WriteString(certificate.Blob.Span);
            key.WriteCertifiedFields(ref w);
        }

        w.WriteString(key.Comment);
        if (constrained)
        {
            if (constraints!.Lifetime is { } lifetime)
            {
                w.WriteByte(AgentProtocol.ConstrainLifetime);
                w.WriteUInt32((uint)Math.Ceiling(lifetime.TotalSeconds));
            }

            if (constraints.Confirm)
            {
                w.WriteByte(AgentProtocol.ConstrainConfirm);
            }
        }

        byte[] message = request.WrittenSpan.ToArray();
        try
        {
            await ExpectSuccessAsync(message, $"add {certificate?.ToString() ?? key.PublicKey.ToString()}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(message);
        }
    }

    /// <summary>Removes one identity (a key, or a certificate alone) from the agent (<c>ssh-add -d</c>).</summary>
    /// <param name="key">The public key or certificate to remove.</param>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="SshAgentException">The agent does not hold it (<see cref="SshAgentFailure.Refused"/>), or failed.</exception>
    public Task RemoveAsync(SshPublicKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var request = new SshBuffer(16 + key.Blob.Length);
        SshWriter w = request.Writer;
        w.WriteByte(AgentProtocol.RemoveIdentity);
        w.WriteString(key.Blob.Span);
        return ExpectSuccessAsync(request.WrittenSpan.ToArray(), $"remove {key}", cancellationToken);
    }

    /// <summary>Removes every identity from the agent (<c>ssh-add -D</c>).</summary>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="SshAgentException">The agent refused (it is locked) or failed.</exception>
    public Task RemoveAllAsync(CancellationToken cancellationToken = default) =>
        ExpectSuccessAsync(new[] { AgentProtocol.RemoveAllIdentities }, "remove all identities", cancellationToken);

    /// <summary>
    /// Locks the agent with <paramref name="passphrase"/> (<c>ssh-add -x</c>): until unlocked it lists no
    /// identities and refuses to sign.
    /// </summary>
    /// <param name="passphrase">The passphrase that unlocks it.</param>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="SshAgentException">The agent refused (it is already locked) or failed.</exception>
    public Task LockAsync(string passphrase, CancellationToken cancellationToken = default) =>
        LockOrUnlockAsync(AgentProtocol.Lock, passphrase, "lock the agent", cancellationToken);

    /// <summary>Unlocks an agent locked with <see cref="LockAsync"/> (<c>ssh-add -X</c>).</summary>
    /// <param name="passphrase">The passphrase it was locked with.</param>
    /// <param name="cancellationToken">Cancels the request (the connection is then closed).</param>
    /// <exception cref="SshAgentException">The passphrase is wrong or the agent is not locked (<see cref="SshAgentFailure.Refused"/>), or it failed.</exception>
    public Task UnlockAsync(string passphrase, CancellationToken cancellationToken = default) =>
        LockOrUnlockAsync(AgentProtocol.Unlock, passphrase, "unlock the agent", cancellationToken);

    private async Task LockOrUnlockAsync(byte type, string passphrase, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        using var request = SshBuffer.ForSecret(64 + (passphrase.Length * 3));
        SshWriter w = request.Writer;
        w.WriteByte(type);
        w.WriteString(passphrase);
        byte[] message = request.WrittenSpan.ToArray();
        try
        {
            await ExpectSuccessAsync(message, what, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(message);
        }
    }

    private async Task ExpectSuccessAsync(byte[] message, string what, CancellationToken cancellationToken)
    {
        byte[] reply = await RequestAsync(message, what, cancellationToken).ConfigureAwait(false);
        Expect(reply, AgentProtocol.Success, what);
        if (reply.Length != 1)
        {
            throw InvalidReply($"the success answer to the request to {what} has {reply.Length - 1} trailing bytes");
        }
    }

    /// <summary>Checks the reply's type: a failure is a refusal, anything else but <paramref name="type"/> a protocol error.</summary>
    private void Expect(byte[] reply, byte type, string what)
    {
        if (AgentProtocol.IsFailure(reply[0]))
        {
            throw Fail(SshAgentFailure.Refused, $"the agent refused the request to {what}");
        }

        if (reply[0] != type)
        {
            throw InvalidReply($"the agent answered message type {reply[0]} to the request to {what} (expected {type})");
        }
    }

    private List<SshAgentIdentity> ParseIdentities(byte[] reply)
    {
        var r = new SshReader(reply.AsSpan(1));
        uint count = r.ReadUInt32();
        // Each identity takes at least two length fields: a count beyond that is a lie.
        if (count > (uint)r.Remaining / 8)
        {
            throw new SshFormatException($"the answer claims {count} identities in {r.Remaining} bytes");
        }

        var identities = new List<SshAgentIdentity>((int)count);
        for (uint i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> blob = r.ReadString();
            string comment = Encoding.UTF8.GetString(r.ReadString());
            if (IsKnownType(blob))
            {
                identities.Add(new SshAgentIdentity(this, SshPublicKey.FromBlob(blob), comment));
            }
        }

        r.ReadEnd();
        return identities;
    }

    /// <summary>True when the blob's type is one this library reads (a malformed blob of such a type is then an error, not skipped).</summary>
    private static bool IsKnownType(ReadOnlySpan<byte> blob)
    {
        var r = new SshReader(blob);
        string type = r.ReadAsciiString();
        return KeyTypes.Supported.Contains(SshCertificate.IsCertificateType(type) ? PlainKeyType(type) : type);
    }

    /// <summary><c>ssh-ed25519-cert-v01@openssh.com</c> → <c>ssh-ed25519</c>; <c>ssh-rsa-cert-v01@openssh.com</c> → <c>ssh-rsa</c>.</summary>
    private static string PlainKeyType(string certificateType) => certificateType[..^"-cert-v01@openssh.com".Length];

    private SshAgentException InvalidReply(string text, Exception? inner = null)
    {
        Break("a reply was malformed");
        return Fail(SshAgentFailure.InvalidReply, text, inner);
    }
}

using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Client;

/// <summary>
/// Collects the signers a client offers, in ssh's order: explicit keys and custom signers first, then
/// (as OpenSSH's <c>pubkey_prepare</c>) the agent's identities that match a key file, the agent's other
/// identities (unless <see cref="SshClientOptions.IdentitiesOnly"/>), and the key files the agent does
/// not hold; the key files are the listed ones, or the default files when no key at all is given. And
/// their certificates: explicit ones, then a <c>&lt;key file&gt;-cert.pub</c> next to each key file, as
/// OpenSSH does. Keys read from files are shared through <see cref="KeyFileCache"/> (or, with
/// <see cref="SshClientOptions.CacheKeyFiles"/> off, belong to this object); the agent connection
/// belongs to this object; both are released when it is disposed (the caller's
/// <see cref="SshClientOptions.Keys"/> are left alone).
/// </summary>
internal sealed class ClientKeys : IDisposable
{
    public static readonly string[] DefaultFiles = ["id_ed25519", "id_ecdsa", "id_rsa"];

    private readonly List<ISshSigner> _signers;
    private readonly List<SshCertificate> _certificates;
    private readonly List<SshPrivateKey> _owned = [];
    private SshAgentClient? _agent;

    private ClientKeys(SshClientOptions options)
    {
        _signers = [.. options.Keys, .. options.Signers];
        _certificates = [.. options.Certificates];
    }

    /// <summary>The signers to offer, in order.</summary>
    public IReadOnlyList<ISshSigner> Signers => _signers;

    /// <summary>The certificates to offer with them.</summary>
    public IReadOnlyList<SshCertificate> Certificates => _certificates;

    /// <summary>
    /// The agent socket <paramref name="options"/> sign with: <see cref="AgentSocketFor"/>; null when
    /// <see cref="SshClientOptions.UseAgent"/> is off.
    /// </summary>
    public static string? AgentPathFor(SshClientOptions options, Func<string, string?> environment) =>
        options.UseAgent ? AgentSocketFor(options, environment) : null;

    /// <summary>
    /// The agent socket <paramref name="options"/> name, for signing and for agent forwarding alike:
    /// <see cref="SshClientOptions.AgentPath"/>, else <c>SSH_AUTH_SOCK</c> (read through
    /// <paramref name="environment"/>); null when neither is set.
    /// </summary>
    public static string? AgentSocketFor(SshClientOptions options, Func<string, string?> environment) =>
        options.AgentPath is { Length: > 0 } path ? path
        : environment("SSH_AUTH_SOCK") is { Length: > 0 } env ? env
        : null;

    /// <summary>
    /// Lists the agent's identities and reads the key files within <see cref="SshClientOptions.KeyLoadLimits"/>
    /// (a file whose <c>.pub</c> matches an agent key is not read: the agent signs for it). A listed key
    /// file that cannot be read fails the load; a default file is reported and skipped (a hostile or
    /// corrupt <c>~/.ssh</c> key over the limits included); an agent that fails is reported and skipped.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the login timeout, say).</exception>
    public static async Task<ClientKeys> LoadAsync(SshClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var loaded = new ClientKeys(options);
        try
        {
            List<KeyFile> files = [.. options.KeyFiles.Select(f => new KeyFile(f, Listed: true))];
            if (loaded._signers.Count == 0 && files.Count == 0 && options.UseDefaultKeys)
            {
                string sshDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
                files = [.. DefaultFiles.Select(n => Path.Combine(sshDir, n)).Where(File.Exists).Select(p => new KeyFile(p, Listed: false))];
            }

            IReadOnlyList<SshAgentIdentity> agentKeys = await loaded.ListAgentAsync(options, logger, cancellationToken).ConfigureAwait(false);
            var fileKeys = new List<(KeyFile File, SshPublicKey? Key, SshPrivateKey? Private)>();
            foreach (KeyFile file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SshPublicKey? key = agentKeys.Count == 0 ? null : PublicKeyNextTo(file.Path, logger);
                SshPrivateKey? privateKey = null;
                if (key is null)
                {
                    privateKey = loaded.LoadPrivate(file, options, logger, cancellationToken);
                    key = privateKey?.PublicKey;
                }

                fileKeys.Add((file, key, privateKey));
                loaded.LoadCertificateNextTo(file.Path, logger);
            }

            // Agent identities matching a key file, in the agent's order (certificates before keys), then the others.
            var matched = new List<SshAgentIdentity>();
            var others = new List<SshAgentIdentity>();
            var held = new HashSet<SshPublicKey>();
            foreach (SshAgentIdentity identity in agentKeys)
            {
                SshPublicKey plain = identity.Certificate?.Key ?? identity.PublicKey;
                if (fileKeys.Any(f => plain.Equals(f.Key)))
                {
                    matched.Add(identity);
                    if (identity.Certificate is null)
                    {
                        // The agent signs for this file: it is not read. (A certificate alone leaves the file to sign plain.)
                        held.Add(plain);
                    }
                }
                else if (!options.IdentitiesOnly)
                {
                    others.Add(identity);
                }
            }

            loaded._signers.AddRange(matched.OrderBy(i => i.Certificate is null));
            loaded._signers.AddRange(others.OrderBy(i => i.Certificate is null));
            foreach ((KeyFile file, SshPublicKey? key, SshPrivateKey? privateKey) in fileKeys)
            {
                if (key is not null && held.Contains(key))
                {
                    continue;
                }

                if ((privateKey ?? loaded.LoadPrivate(file, options, logger, cancellationToken)) is { } signer)
                {
                    loaded._signers.Add(signer);
                }
            }

            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>Clears the keys read from files and closes the agent connection.</summary>
    public void Dispose()
    {
        foreach (SshPrivateKey key in _owned)
        {
            key.Dispose();
        }

        _owned.Clear();
        _agent?.Dispose();
        _agent = null;
    }

    private async Task<IReadOnlyList<SshAgentIdentity>> ListAgentAsync(SshClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (AgentPathFor(options, Environment.GetEnvironmentVariable) is not { } path)
        {
            return [];
        }

        try
        {
            _agent = await SshAgentClient.ConnectAsync(path, SshAgentClient.DefaultRequestTimeout, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<SshAgentIdentity> identities = await _agent.GetIdentitiesAsync(cancellationToken).ConfigureAwait(false);
            logger.LogDebug(SshLogEvents.Client.AgentIdentities, "The agent at {Path} holds {Count} usable identities", path, identities.Count);
            return identities;
        }
        catch (SshAgentException ex)
        {
            logger.LogWarning(SshLogEvents.Client.AgentUnusable, "Not using the agent: {Message}", ex.Message);
            _agent?.Dispose();
            _agent = null;
            return [];
        }
    }

    /// <summary>The key of <c>file.pub</c>, or null when there is none or it is unreadable (the private file then tells).</summary>
    private static SshPublicKey? PublicKeyNextTo(string file, ILogger logger)
    {
        string path = file + ".pub";
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return SshPublicKey.Load(path);
        }
        catch (Exception ex) when (ex is SshKeyFormatException or IOException or UnauthorizedAccessException)
        {
            logger.LogDebug(SshLogEvents.Client.KeyFileIgnored, "Ignoring {Path}: {Message}", path, ex.Message);
            return null;
        }
    }

    /// <summary>Reads a private key file: a listed file's failure propagates, a default file's is logged (null).</summary>
    private SshPrivateKey? LoadPrivate(KeyFile file, SshClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        SshPrivateKey key;
        try
        {
            key = options.CacheKeyFiles
                ? KeyFileCache.Load(file.Path, options.Passphrase, options.KeyLoadLimits, cancellationToken)
                : SshPrivateKey.Load(file.Path, options.Passphrase, options.KeyLoadLimits, cancellationToken);
        }
        catch (SshKeyFormatException ex) when (!file.Listed)
        {
            logger.LogWarning(SshLogEvents.Client.DefaultKeySkipped, "Skipping default key {Path}: {Message}", file.Path, ex.Message);
            return null;
        }

        if (!options.CacheKeyFiles)
        {
            _owned.Add(key); // read for this connection only: cleared when it ends
        }

        return key;
    }

    /// <summary>Adds <c>keyFile-cert.pub</c> when it exists; a malformed one is reported and skipped (the plain key still works).</summary>
    private void LoadCertificateNextTo(string keyFile, ILogger logger)
    {
        string path = keyFile + "-cert.pub";
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            _certificates.Add(SshCertificate.Load(path));
        }
        catch (SshKeyFormatException ex)
        {
            logger.LogWarning(SshLogEvents.Client.CertificateSkipped, "Skipping certificate {Path}: {Message}", path, ex.Message);
        }
    }

    private readonly record struct KeyFile(string Path, bool Listed);
}

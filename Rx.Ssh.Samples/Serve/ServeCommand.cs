using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// serve (samples.md, "One more: serve"): a small but real SSH server. Runs every exec or shell
/// request on this machine as the current user, on a pty when asked for, until ctrl-C.
/// </summary>
internal sealed class ServeCommand : ISample
{
    /// <summary>The host key file made on first start when no <c>--host-key</c> is given.</summary>
    public const string DefaultHostKey = "ssh_host_key";

    /// <summary>The authorized keys file looked for first in the current directory.</summary>
    public const string DefaultAuthorizedKeys = "ssh_user_ca";

    public string Name => "serve";

    public string Description => "A general-purpose SSH server: runs commands and shells (with a pty) as the current user.";

    public async Task<int> RunAsync(SampleContext context)
    {
        ServeSettings? settings = await LoadSettingsAsync(context);
        if (settings is null)
        {
            return 1;
        }

        using ILoggerFactory loggers = ServeLog.CreateConsole();
        SshListener listener;
        try
        {
            listener = await ServeServer.StartAsync(settings with { Loggers = loggers });
        }
        catch (SshException ex)
        {
            await context.Error.WriteLineAsync(ex.Message);
            return 1;
        }

        await using (listener)
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await context.Out.WriteLineAsync($"serve: listening on {listener.LocalEndPoint}; ctrl-C stops");
            await stop.Task;
            await context.Out.WriteLineAsync("serve: stopping");
            await listener.DisconnectAllAsync();

            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.TrySetResult();
            }
        }

        return 0;
    }

    /// <summary>Reads the command line's files; on a problem prints one line naming the file and returns null.</summary>
    internal static async Task<ServeSettings?> LoadSettingsAsync(SampleContext context)
    {
        IPAddress? address = await ParseAddressAsync(context.Listen ?? "127.0.0.1");
        if (address is null)
        {
            await context.Error.WriteLineAsync($"serve: cannot resolve --listen address '{context.Listen}'.");
            return null;
        }

        if (context.Root is { } root && !Directory.Exists(root))
        {
            await context.Error.WriteLineAsync($"serve: --root {root}: no such directory.");
            return null;
        }

        var hostKeys = new List<SshPrivateKey>();
        try
        {
            if (context.HostKeys.Count == 0)
            {
                hostKeys.Add(await LoadOrCreateHostKeyAsync(DefaultHostKey, context.Out));
            }
            else
            {
                foreach (string path in context.HostKeys)
                {
                    SshPrivateKey key = SshPrivateKey.Load(path);
                    hostKeys.Add(key);
                    await context.Out.WriteLineAsync($"serve: host key {path}: {key.PublicKey.KeyType} {key.PublicKey.GetFingerprint()}");
                }
            }

            string authorized = context.AuthorizedKeys ?? DefaultAuthorizedKeysPath();
            AuthorizedKeysFile keys = await AuthorizedKeysFile.LoadAsync(authorized);
            await context.Out.WriteLineAsync($"serve: authorized keys from {authorized} ({keys.Entries.Count} entries)");
            return new ServeSettings
            {
                Address = address,
                Port = context.ServerPort,
                HostKeys = hostKeys,
                AuthorizedKeys = keys,
                Root = Path.GetFullPath(context.Root ?? "/"),
                Algorithms = context.Compatible ? SshAlgorithms.Default : SshAlgorithms.Hardened,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException)
        {
            foreach (SshPrivateKey key in hostKeys)
            {
                key.Dispose();
            }

            await context.Error.WriteLineAsync($"serve: {ex.Message}");
            return null;
        }
    }

    /// <summary><c>ssh_user_ca</c> in the current directory, else <c>~/.ssh/authorized_keys</c>.</summary>
    private static string DefaultAuthorizedKeysPath() =>
        File.Exists(DefaultAuthorizedKeys)
            ? DefaultAuthorizedKeys
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "authorized_keys");

    private static async Task<SshPrivateKey> LoadOrCreateHostKeyAsync(string path, TextWriter output)
    {
        if (File.Exists(path))
        {
            SshPrivateKey existing = SshPrivateKey.Load(path);
            await output.WriteLineAsync($"serve: host key {path}: {existing.PublicKey.KeyType} {existing.PublicKey.GetFingerprint()}");
            return existing;
        }

        SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        key.Save(path);
        await output.WriteLineAsync($"serve: generated host key {path}: {key.PublicKey.KeyType} {key.PublicKey.GetFingerprint()}");
        return key;
    }

    private static async Task<IPAddress?> ParseAddressAsync(string text)
    {
        if (IPAddress.TryParse(text, out IPAddress? address))
        {
            return address;
        }

        try
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(text);
            return addresses.Length > 0 ? addresses[0] : null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}

using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Samples.Serve;

/// <summary>What <c>serve</c> needs to run, already loaded and checked (see <see cref="ServeCommand"/> for the command line).</summary>
internal sealed record ServeSettings
{
    /// <summary>Address to bind; loopback unless asked (serve runs shell commands).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one.</summary>
    public int Port { get; init; } = 8022;

    /// <summary>Host keys.</summary>
    public required IReadOnlyList<SshPrivateKey> HostKeys { get; init; }

    /// <summary>Keys (and cert-authority lines) that may log in.</summary>
    public required AuthorizedKeysFile AuthorizedKeys { get; init; }

    /// <summary>Root of the file system served over SFTP and SCP: <c>/</c> for clients; <c>/</c> (the default) serves the whole file system.</summary>
    public string Root { get; init; } = "/";

    /// <summary>Algorithms offered: the hardened profile unless <c>--compatible</c> asks for the library's defaults.</summary>
    public SshAlgorithms Algorithms { get; init; } = SshAlgorithms.Hardened;

    /// <summary>
    /// Where the connection and session lines (category <see cref="ServeLog.Category"/>) and the library's
    /// diagnostics (<see cref="ServeLog.LibraryCategory"/>) go; none by default, the command uses the console logger.
    /// </summary>
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>
/// serve's server: the library's <see cref="SshServer"/> with public-key authentication from
/// one authorized_keys file and every session run by <see cref="CommandRunner"/>. Used by the
/// <c>serve</c> command, by the tour (on a free port) and by tests.
/// </summary>
internal static class ServeServer
{
    /// <summary>Starts listening; the listener's <see cref="SshListener.Port"/> is the port bound.</summary>
    public static Task<SshListener> StartAsync(ServeSettings settings) => SshServer.StartAsync(CreateOptions(settings));

    /// <summary>The library options serve runs with.</summary>
    public static SshServerOptions CreateOptions(ServeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = new ServeLog(settings.Loggers.CreateLogger(ServeLog.Category));
        return new SshServerOptions
        {
            Address = settings.Address,
            Port = settings.Port,
            HostKeys = settings.HostKeys,
            Algorithms = settings.Algorithms,
            AuthorizedKeys = _ => settings.AuthorizedKeys,
            HandlerFactory = () => new ServeHandler(log),
            Logger = settings.Loggers.CreateLogger(ServeLog.LibraryCategory),

            // A real terminal does echo and line editing; the library's editor would do them twice.
            LineEditor = false,

            // serve passes on every variable the client sends (samples.md); the library still
            // refuses SSH_* names, which are the server's own.
            AcceptEnv = ["*"],

            // ssh -A: the commands serve runs find the client's agent in SSH_AUTH_SOCK, as under sshd.
            AllowAgentForwarding = true,
            ProcessHandler = process => RunSessionAsync(process, settings.Root, log),
            Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = Sftp(settings.Root, log) },
        };
    }

    // SFTP rooted at --root, as the user running serve, with one session line like every other session's.
    private static SshSubsystemHandler Sftp(string root, ServeLog log)
    {
        SshSubsystemHandler sftp = SftpSubsystem.Create(new SftpServerOptions { Root = root });
        return async (subsystem, cancellationToken) =>
        {
            (subsystem.Connection.Handler as ServeHandler)?.SessionStarted();
            var clock = Stopwatch.StartNew();
            try
            {
                await sftp(subsystem, cancellationToken);
            }
            catch (Exception ex)
            {
                log.Session(ServeHandler.Who(subsystem.Connection), "subsystem sftp", "failed: " + ex.Message);
                throw;
            }

            log.Session(ServeHandler.Who(subsystem.Connection), "subsystem sftp", $"exit status {subsystem.ExitStatus} after {ServeLog.Duration(clock.Elapsed)}");
        };
    }

    private static async Task RunSessionAsync(SshServerProcess process, string root, ServeLog log)
    {
        (process.Connection.Handler as ServeHandler)?.SessionStarted();
        var clock = Stopwatch.StartNew();
        string what = process.RequestType switch
        {
            "exec" => $"exec '{process.Command}'",
            "subsystem" => $"subsystem {process.Subsystem}",
            _ => "shell",
        };
        if (process.Terminal is { } terminal)
        {
            what += $" on a pty ({terminal.TerminalType} {terminal.Columns}x{terminal.Rows})";
        }

        string how;
        try
        {
            if (ScpServer.IsScpCommand(process.Command))
            {
                // scp -t / -f (OpenSSH's scp -O) over the same file system as SFTP, rooted at --root.
                how = $"exit status {await ScpServer.RunAsync(process, new LocalFileSystem(root))}";
            }
            else
            {
                ChildExit exit = await CommandRunner.RunAsync(process);
                how = exit.ToString();
            }
        }
        catch (Exception ex)
        {
            log.Session(ServeHandler.Who(process.Connection), what, "failed: " + ex.Message);
            throw;
        }

        log.Session(ServeHandler.Who(process.Connection), what, $"{how} after {ServeLog.Duration(clock.Elapsed)}");
    }
}

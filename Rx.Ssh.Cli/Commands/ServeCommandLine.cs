using System.CommandLine;
using Rx.Ssh.Samples;
using Rx.Ssh.Samples.Serve;

namespace Rx.Ssh.Cli.Commands;

/// <summary>
/// <c>rxssh serve</c>: the samples' serve (a general-purpose SSH server running commands and shells
/// as the current user), the same source compiled into the tool; this class only maps the options.
/// </summary>
internal static class ServeCommandLine
{
    /// <summary>Builds the command.</summary>
    public static Command Build(RxConsole console)
    {
        var listen = new Option<string?>("--listen", "-l") { Description = "address to bind (default 127.0.0.1)" };
        var port = new Option<int?>("--port", "-p") { Description = "port (default 8022)" };
        var hostKeys = new Option<string[]>("--host-key") { Description = "host key file (repeatable; default ssh_host_key, made if missing)", AllowMultipleArgumentsPerToken = false };
        var authorizedKeys = new Option<string?>("--authorized-keys") { Description = "authorized keys (default ssh_user_ca, else ~/.ssh/authorized_keys)" };
        var root = new Option<string?>("--root") { Description = "SFTP/SCP file-system root (default /)" };
        var compatible = new Option<bool>("--compatible") { Description = "offer OpenSSH-compatible algorithms instead of the hardened profile" };
        var command = new Command("serve", "Run a small SSH server (commands, shells with a pty, SFTP, SCP, forwarding) until ctrl-C.")
        {
            listen, port, hostKeys, authorizedKeys, root, compatible,
        };
        command.SetAction((parse, stopping) => new ServeCommand().RunAsync(new SampleContext
        {
            Listen = parse.GetValue(listen),
            Port = parse.GetValue(port),
            HostKeys = parse.GetValue(hostKeys) ?? [],
            AuthorizedKeys = parse.GetValue(authorizedKeys),
            Root = parse.GetValue(root),
            Compatible = parse.GetValue(compatible),
            Out = console.Out,
            Error = console.Error,
            Stopping = stopping,
        }));
        return command;
    }
}

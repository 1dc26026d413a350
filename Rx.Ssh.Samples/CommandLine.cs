using System.CommandLine;

namespace Rx.Ssh.Samples;

/// <summary>The samples' shared command line (samples.md): <c>NAME [options]</c>, <c>list</c>, or nothing for the tour.</summary>
internal static class CommandLine
{
    private static readonly Argument<string?> NameArgument = new("name") { Arity = ArgumentArity.ZeroOrOne, Description = "sample to run, 'list', or nothing for the tour" };
    private static readonly Option<string[]> HostOption = new("--host") { Description = "server to connect to (default localhost; repeatable for gather_results, [user@]host[:port])", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<int?> PortOption = new("--port") { Description = "port (22 for clients, 8022 for servers)" };
    private static readonly Option<string?> ListenOption = new("--listen") { Description = "address a server sample binds, or a forwarding client listens on (default all interfaces)" };
    private static readonly Option<string> UserOption = new("--username") { DefaultValueFactory = _ => Environment.UserName, Description = "login name" };
    private static readonly Option<string?> KnownHostsOption = new("--known-hosts") { Description = "trusted host keys (default ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts, or what ~/.ssh/config says)" };
    private static readonly Option<string?> ConfigOption = new("--config", "-F") { Description = "OpenSSH client configuration file (default ~/.ssh/config then /etc/ssh/ssh_config; 'none' for no file)" };
    private static readonly Option<string[]> KeyOption = new("--key") { Description = "client key file (repeatable)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> PasswordOption = new("--password") { Description = "password authentication" };
    private static readonly Option<string?> DestHostOption = new("--dest-host") { Description = "forwarding destination host (default as in the document: www.google.com, localhost for remote forwards)" };
    private static readonly Option<int?> DestPortOption = new("--dest-port") { Description = "forwarding destination port (default 80)" };
    private static readonly Option<string[]> HostKeyOption = new("--host-key") { Description = "server host key file (repeatable; serve)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> AuthorizedKeysOption = new("--authorized-keys") { Description = "authorized keys file (serve; default ssh_user_ca, else ~/.ssh/authorized_keys)" };
    private static readonly Option<string?> RootOption = new("--root") { Description = "file-system root of SFTP/SCP servers (default /tmp/sftp for chroot_sftp_server, / for serve)" };
    private static readonly Option<int?> ListenPortOption = new("--listen-port") { Description = "port a forwarding client asks to listen on (default as in the document)" };
    private static readonly Option<int?> AllowPortOption = new("--allow-port") { Description = "the one port a forwarding server sample allows (default as in the document)" };
    private static readonly Option<string> OutputOption = new("--output") { DefaultValueFactory = _ => "/tmp/stdout", Description = "redirect_input's destination file" };
    private static readonly Option<string?> CommandsOption = new("--commands") { Description = "reverse_server's commands, separated by ';;' (default the document's three)" };
    private static readonly Option<bool> CompatibleOption = new("--compatible") { Description = "serve: offer the library's OpenSSH-compatible algorithms instead of the hardened profile" };

    /// <summary>Builds the command; <paramref name="run"/> gets a context whose <see cref="SampleContext.Stopping"/> is cancelled by Ctrl-C.</summary>
    public static RootCommand Build(Func<string?, SampleContext, Task<int>> run)
    {
        var root = new RootCommand("Rx.Ssh samples: one program per example of AsyncSSH's examples chapter.")
        {
            NameArgument, HostOption, PortOption, ListenOption, UserOption, KnownHostsOption, ConfigOption, KeyOption, PasswordOption, DestHostOption, DestPortOption, HostKeyOption, AuthorizedKeysOption, RootOption,
            ListenPortOption, AllowPortOption, OutputOption, CommandsOption, CompatibleOption,
        };
        root.SetAction((parse, stopping) =>
        {
            var defaults = new SampleContext();
            string[] hosts = parse.GetValue(HostOption) ?? [];
            var context = defaults with
            {
                Host = hosts.FirstOrDefault() ?? defaults.Host,
                AllHosts = hosts,
                Port = parse.GetValue(PortOption),
                Listen = parse.GetValue(ListenOption),
                UserName = parse.GetValue(UserOption) ?? defaults.UserName,
                KnownHosts = parse.GetValue(KnownHostsOption),
                Keys = parse.GetValue(KeyOption) ?? [],
                Config = parse.GetValue(ConfigOption),
                Password = parse.GetValue(PasswordOption),
                DestHost = parse.GetValue(DestHostOption),
                DestPort = parse.GetValue(DestPortOption),
                Stopping = stopping,
                HostKeys = parse.GetValue(HostKeyOption) ?? [],
                AuthorizedKeys = parse.GetValue(AuthorizedKeysOption),
                Root = parse.GetValue(RootOption),
                ListenPort = parse.GetValue(ListenPortOption),
                AllowPort = parse.GetValue(AllowPortOption),
                Output = parse.GetValue(OutputOption) ?? defaults.Output,
                Commands = parse.GetValue(CommandsOption) is { } commands
                    ? commands.Split(";;", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    : null,
                Compatible = parse.GetValue(CompatibleOption),
            };
            return run(parse.GetValue(NameArgument), context);
        });
        return root;
    }
}

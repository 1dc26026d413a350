using System.CommandLine;
using Rx.Ssh.Cli.Commands;

namespace Rx.Ssh.Cli;

/// <summary>The <c>rxssh</c> root command and its subcommands.</summary>
internal static class RxsshCommand
{
    /// <summary>Builds the command line writing to <paramref name="console"/>.</summary>
    public static RootCommand Build(RxConsole console) =>
        new("rxssh: SSH on many hosts, SFTP transfers, a small server and key tools, built on Rx.Ssh.")
        {
            RunCommand.Build(console),
            TransferCommand.Build(console, download: true),
            TransferCommand.Build(console, download: false),
            ServeCommandLine.Build(console),
            KeygenCommand.Build(console),
            KeyscanCommand.Build(console),
        };
}

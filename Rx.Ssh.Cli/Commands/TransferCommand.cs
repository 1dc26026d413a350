using System.CommandLine;
using Rx.Ssh.Cli.Hosts;
using Rx.Ssh.Sftp;
using Spectre.Console;

namespace Rx.Ssh.Cli.Commands;

/// <summary>
/// <c>rxssh get -H host [-r] [-P] remote... local</c> and <c>rxssh put -H host [-r] [-P] local... remote</c>:
/// SFTP transfers (remote globs on get, local globs on put, directories with <c>-r</c>, times and
/// modes with <c>-P</c>). On a terminal a progress bar follows the transfer's progress observable;
/// otherwise one line per finished file and a total.
/// </summary>
internal static class TransferCommand
{
    /// <summary>Builds <c>get</c> (<paramref name="download"/>) or <c>put</c>.</summary>
    public static Command Build(RxConsole console, bool download)
    {
        var connect = new ConnectArguments();
        var host = new Option<string>("--host", "-H") { Description = "[user@]host[:port]", Required = true };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "copy directories" };
        var preserve = new Option<bool>("--preserve", "-P") { Description = "keep modification times and permissions" };
        var paths = new Argument<string[]>("paths")
        {
            Description = download ? "remote files or patterns, then the local destination" : "local files or patterns, then the remote destination",
            Arity = new ArgumentArity(2, 100_000),
        };
        string name = download ? "get" : "put";
        var command = new Command(name, download ? "Download files over SFTP." : "Upload files over SFTP.") { host, recursive, preserve, paths };
        connect.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            string[] all = parse.GetValue(paths)!;
            string destination = all[^1];
            string[] sources = all[..^1];
            var options = new SftpTransferOptions { Recursive = parse.GetValue(recursive), Preserve = parse.GetValue(preserve) };
            try
            {
                HostTarget target = HostTarget.Parse(parse.GetValue(host)!);
                await using SshClientConnection connection = await SshClient.ConnectAsync(target.Host, connect.PortFor(parse, target), connect.ClientOptions(parse, target), cancel);
                await using SftpClient sftp = await connection.StartSftpClientAsync(cancellationToken: cancel);
                IObservable<SftpProgress> transfer = download
                    ? Download(sftp, sources, destination, options)
                    : await UploadAsync(sftp, sources, destination, options, cancel);
                SftpProgress last = await ShowAsync(console, name, transfer, cancel);
                await console.Out.WriteLineAsync($"{name}: {last.FilesDone} files, {last.BytesDone} bytes in {last.Elapsed.TotalSeconds:0.00}s");
                return 0;
            }
            catch (Exception ex) when (ex is SshException or IOException or UnauthorizedAccessException or FormatException or System.Net.Sockets.SocketException or TimeoutException)
            {
                await console.Error.WriteLineAsync($"rxssh {name}: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static IObservable<SftpProgress> Download(SftpClient sftp, string[] sources, string destination, SftpTransferOptions options) =>
        sources.Length == 1 && !Directory.Exists(destination) && !HasWildcard(sources[0])
            ? sftp.Get(sources[0], destination, options)
            : sftp.Get(sources, destination, options);

    private static async Task<IObservable<SftpProgress>> UploadAsync(SftpClient sftp, string[] sources, string destination, SftpTransferOptions options, CancellationToken cancel)
    {
        string[] locals = [.. sources.SelectMany(ExpandLocal)];
        if (locals.Length == 0)
        {
            throw new IOException($"no local file matches {string.Join(' ', sources)}");
        }

        bool remoteDirectory;
        try
        {
            remoteDirectory = (await sftp.StatAsync(destination, cancel)).IsDirectory;
        }
        catch (SftpException)
        {
            remoteDirectory = false;
        }

        return locals.Length == 1 && !remoteDirectory
            ? sftp.Put(locals[0], destination, options)
            : sftp.Put(locals, destination, options);
    }

    /// <summary>A local path, or the entries its file-name pattern (<c>*</c>, <c>?</c>) matches, sorted.</summary>
    private static IEnumerable<string> ExpandLocal(string path)
    {
        if (!HasWildcard(Path.GetFileName(path)))
        {
            return [path];
        }

        string directory = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        string[] matches = Directory.GetFileSystemEntries(directory, Path.GetFileName(path));
        Array.Sort(matches, StringComparer.Ordinal);
        return matches;
    }

    private static bool HasWildcard(string path) => path.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    /// <summary>Runs the transfer: a progress bar on a terminal, else a line per finished file.</summary>
    private static async Task<SftpProgress> ShowAsync(RxConsole console, string name, IObservable<SftpProgress> transfer, CancellationToken cancel)
    {
        if (!console.IsTerminal)
        {
            int files = 0;
            SftpProgress? final = null;
            await transfer.ForEachAsync(
                p =>
                {
                    final = p;
                    if (p.FilesDone > files)
                    {
                        files = p.FilesDone;
                        console.Out.WriteLine($"{name}: {p.CurrentFile} ({p.FilesDone}/{p.TotalFiles})");
                    }
                },
                cancel);
            return final ?? throw new IOException("nothing was transferred");
        }

        SftpProgress? last = null;
        await console.Ansi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask bar = context.AddTask(name, maxValue: 1);
                await transfer.ForEachAsync(
                    p =>
                    {
                        last = p;
                        bar.Description = $"{name} {Markup.Escape(Path.GetFileName(p.CurrentFile))} ({p.FilesDone}/{p.TotalFiles})";
                        bar.MaxValue = Math.Max(p.TotalBytes, 1);
                        bar.Value = p.BytesDone;
                    },
                    cancel);
                bar.Value = bar.MaxValue;
            });
        return last ?? throw new IOException("nothing was transferred");
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// A process handler with a few commands for driving the Rx.Ssh server from OpenSSH's ssh:
/// <list type="bullet">
/// <item><c>hello</c>: prints <c>hello USER</c>.</item>
/// <item><c>exit N</c>: exits with status N.</item>
/// <item><c>stderr TEXT</c>: prints TEXT on stderr, <c>out</c> on stdout, exits 3.</item>
/// <item><c>cat</c>: copies stdin to stdout until EOF, then prints nothing more.</item>
/// <item><c>lines</c>: reads stdin to EOF, then prints <c>N lines, last=LAST</c>.</item>
/// <item><c>env NAME...</c>: prints <c>NAME=value</c> per name (<c>NAME unset</c> when missing).</item>
/// <item><c>signal NAME</c>: prints <c>dying</c> and exits as killed by the signal.</item>
/// <item><c>sha256</c>: hashes stdin to EOF and prints <c>COUNT HEX</c>.</item>
/// <item><c>generate LENGTH SEED</c>: writes <see cref="GeneratedStream"/> bytes to stdout.</item>
/// </list>
/// </summary>
internal static class ServerInteropCommands
{
    public static async Task HandleAsync(SshServerProcess process)
    {
        string[] words = (process.Command ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words.FirstOrDefault())
        {
            case "hello":
                await process.Stdout.WriteLineAsync("hello " + process.UserName);
                break;
            case "exit":
                process.ExitStatus = int.Parse(words[1], CultureInfo.InvariantCulture);
                break;
            case "stderr":
                await process.Stderr.WriteLineAsync(string.Join(' ', words.Skip(1)));
                await process.Stdout.WriteLineAsync("out");
                process.ExitStatus = 3;
                break;
            case "cat":
                await process.Stdout.CopyFromAsync(process.Stdin.AsStream());
                break;
            case "lines":
                {
                    int count = 0;
                    string? last = null;
                    while (await process.Stdin.ReadLineAsync() is { } line)
                    {
                        count++;
                        last = line;
                    }

                    await process.Stdout.WriteLineAsync($"{count} lines, last={last}");
                    break;
                }

            case "env":
                foreach (string name in words.Skip(1))
                {
                    await process.Stdout.WriteLineAsync(process.Environment.TryGetValue(name, out string? value) ? $"{name}={value}" : $"{name} unset");
                }

                break;
            case "signal":
                await process.Stdout.WriteLineAsync("dying");
                await process.ExitWithSignalAsync(words[1], coreDumped: false, message: "killed for the test");
                break;
            case "sha256":
                {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    int n;
                    while ((n = await process.Stdin.ReadAsync(buffer)) > 0)
                    {
                        total += n;
                        sha.AppendData(buffer, 0, n);
                    }

                    await process.Stdout.WriteLineAsync($"{total} {Convert.ToHexStringLower(sha.GetHashAndReset())}");
                    break;
                }

            case "generate":
                {
                    using var source = new GeneratedStream(long.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[2], CultureInfo.InvariantCulture));
                    await process.Stdout.CopyFromAsync(source);
                    break;
                }

            default:
                await process.Stderr.WriteLineAsync("unknown command: " + process.Command);
                process.ExitStatus = 127;
                break;
        }
    }
}

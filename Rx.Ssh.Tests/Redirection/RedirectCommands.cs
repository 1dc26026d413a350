using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Redirection;

namespace Rx.Ssh.Tests.Redirection;

/// <summary>
/// Commands for the in-memory Rx.Ssh server in the redirection tests: <c>cat</c>, <c>upper</c>,
/// <c>tac</c>, <c>sha256</c> (hex digest of stdin), <c>gen N</c> (N deterministic bytes, counted
/// in <see cref="Sent"/>), <c>die-after N</c> (reads N bytes, then ends as killed), <c>both N</c>
/// (N bytes of <c>x</c> on stdout, then <c>done</c> on stderr).
/// </summary>
internal sealed class RedirectCommands
{
    private long _sent;
    private long _threshold = long.MaxValue;
    private readonly TaskCompletionSource _thresholdReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Bytes <c>gen</c> has handed to the connection (its writes completed).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Completes once <see cref="Sent"/> reaches <paramref name="bytes"/>.</summary>
    public Task SentAtLeast(long bytes)
    {
        Interlocked.Exchange(ref _threshold, bytes);
        if (Sent >= bytes)
        {
            _thresholdReached.TrySetResult();
        }

        return _thresholdReached.Task;
    }

    /// <summary>The bytes <c>gen N</c> sends, made the same way here.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Generate(long count)
    {
        var random = new Random(1234);
        byte[] chunk = new byte[RedirectPump.BufferSize];
        for (long left = count; left > 0; left -= chunk.Length)
        {
            random.NextBytes(chunk);
            yield return chunk.AsMemory(0, (int)Math.Min(chunk.Length, left));
        }
    }

    /// <summary>The sha256 (hex) of what <c>gen N</c> sends.</summary>
    public static string Sha256OfGenerated(long count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (ReadOnlyMemory<byte> chunk in Generate(count))
        {
            hash.AppendData(chunk.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public async Task HandleAsync(SshServerProcess p)
    {
        string[] words = (p.Command ?? string.Empty).Split(' ');
        long n = words.Length > 1 ? long.Parse(words[1], CultureInfo.InvariantCulture) : 0;
        byte[] buffer = new byte[32 * 1024];
        int read;
        switch (words[0])
        {
            case "cat":
            case "upper":
                while ((read = await p.Stdin.ReadAsync(buffer.AsMemory())) > 0)
                {
                    if (words[0] == "upper")
                    {
                        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 0, read).ToUpperInvariant(), buffer);
                    }

                    await p.Stdout.WriteAsync(buffer.AsMemory(0, read));
                }

                break;
            case "tac":
                string[] lines = (await p.Stdin.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                await p.Stdout.WriteAsync(string.Concat(lines.Reverse().Select(l => l + "\n")));
                break;
            case "sha256":
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    while ((read = await p.Stdin.ReadAsync(buffer.AsMemory())) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                    }

                    await p.Stdout.WriteLineAsync(Convert.ToHexStringLower(hash.GetHashAndReset()));
                }

                break;
            case "gen":
                foreach (ReadOnlyMemory<byte> chunk in Generate(n))
                {
                    await p.Stdout.WriteAsync(chunk);
                    if (Interlocked.Add(ref _sent, chunk.Length) >= Interlocked.Read(ref _threshold))
                    {
                        _thresholdReached.TrySetResult();
                    }
                }

                break;
            case "die-after":
                for (long total = 0; total < n && (read = await p.Stdin.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, n - total)))) > 0;)
                {
                    total += read;
                }

                await p.ExitWithSignalAsync("KILL");
                break;
            case "both":
                Array.Fill(buffer, (byte)'x');
                for (long left = n; left > 0; left -= buffer.Length)
                {
                    await p.Stdout.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)));
                }

                await p.Stderr.WriteAsync("done\n");
                break;
            default:
                await p.Stderr.WriteLineAsync("unknown command");
                p.ExitStatus = 127;
                break;
        }
    }
}

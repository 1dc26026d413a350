using System.Globalization;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>Splitting a server process's input into lines stays linear (issue 9, L10).</summary>
public sealed class ServerProcessInputTests
{
    [Fact]
    public async Task Two_MiB_of_newlines_split_into_lines_in_under_a_second()
    {
        const int count = 2 * 1024 * 1024;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            // CPU time of the reads that complete at once (the line splitting), not of waits for
            // data: the machine may be loaded, and then wall time measures everyone else too.
            int lines = 0;
            int nonEmpty = 0;
            TimeSpan cpu = TimeSpan.Zero;
            TimeSpan mark = ThreadCpuClock.Now();
            while (true)
            {
                ValueTask<string?> next = p.Stdin.ReadLineAsync();
                string? line;
                if (next.IsCompleted)
                {
                    line = next.Result;
                }
                else
                {
                    cpu += ThreadCpuClock.Now() - mark;
                    line = await next;
                    mark = ThreadCpuClock.Now();
                }

                if (line is null)
                {
                    break;
                }

                nonEmpty += line.Length;
                lines++;
            }

            cpu += ThreadCpuClock.Now() - mark;
            await p.Stdout.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{lines} {nonEmpty} {(long)cpu.TotalMilliseconds}\n"));
        }));

        byte[] input = new byte[count];
        input.AsSpan().Fill((byte)'\n');
        SshCompletedProcess result = await pair.Client.RunAsync("count", new SshProcessOptions { Input = input }).WithTimeout(TestTimeout.Long);

        string[] figures = result.Stdout.Trim().Split(' ');
        Assert.Equal(count, int.Parse(figures[0], CultureInfo.InvariantCulture));
        Assert.Equal("0", figures[1]);
        Assert.True(int.Parse(figures[2], CultureInfo.InvariantCulture) < 1000, $"splitting took {figures[2]} ms of CPU");
    }

    [Fact]
    public async Task Lines_text_and_bytes_mixed_keep_every_character()
    {
        string text = "één\r\ntwee 😀\ndrie" + new string('x', 70_000) + "\nvier";
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            var seen = new StringBuilder();
            seen.Append(await p.Stdin.ReadLineAsync()).Append('|');
            seen.Append(await p.Stdin.ReadAsync(3)).Append('|');

            // A raw read after a text read gets the buffered text first, as UTF-8, whole characters only.
            byte[] buffer = new byte[6];
            int n = await p.Stdin.ReadAsync(buffer);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n)).Append('|');
            seen.Append(await p.Stdin.ReadLineAsync()).Append('|');
            seen.Append(await p.Stdin.ReadLineAsync()).Append('|');
            seen.Append(await p.Stdin.ReadToEndAsync());
            await p.Stdout.WriteAsync(seen.ToString());
        }));

        SshCompletedProcess result = await pair.Client.RunAsync("mix", new SshProcessOptions { Input = Encoding.UTF8.GetBytes(text) }).WithTimeout(TestTimeout.Long);

        // 6 bytes take "e", " " and the 4-byte emoji.
        Assert.Equal("één|twe|e 😀||drie" + new string('x', 70_000) + "|vier", result.Stdout);
    }
}

using System.Text;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>serve's pseudo-terminal and child process plumbing, without SSH.</summary>
public sealed class PtyTests
{
    [Fact]
    public async Task TheChildRunsOnThePtyAndSeesSizeChanges()
    {
        using Pty pty = Pty.Open();
        pty.SetSize(new SshTerminal("xterm", 80, 24));
        using ChildProcess child = ChildProcess.StartOnPty("/bin/sh", ["sh", "-c", "tty; stty size; read line; stty size"], [new("PATH", "/usr/bin:/bin")], null, pty);
        var firstSize = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> output = Task.Factory.StartNew(() => ReadAll(pty, "24 80", firstSize), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await firstSize.Task.WithTimeout();

        pty.SetSize(new SshTerminal("xterm", 120, 50)); // what a window-change request does
        pty.Write("go\n"u8);

        ChildExit exit = await child.Exited.WithTimeout();
        string text = await output.WithTimeout();
        Assert.Equal(new ChildExit(0, null, false), exit);
        Assert.Contains(pty.SlavePath, text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("24 80", StringComparison.Ordinal) < text.IndexOf("50 120", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task ADeathBySignalIsReportedWithTheSignalName()
    {
        using ChildProcess child = ChildProcess.StartWithPipes("/bin/sh", ["sh", "-c", "kill -QUIT $$"], [], null);

        ChildExit exit = await child.Exited.WithTimeout();

        Assert.Equal("QUIT", exit.Signal);
        Assert.Null(exit.Status);
    }

    private static string ReadAll(Pty pty, string marker, TaskCompletionSource seen)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = pty.Read(buffer)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            if (text.ToString().Contains(marker, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        return text.ToString();
    }
}

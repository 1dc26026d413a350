using System.Diagnostics;
using System.Text.RegularExpressions;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server.Forwarding;

/// <summary>
/// OpenSSH's <c>ssh</c> running in the background (e.g. <c>-N -R</c>), its stderr collected line by
/// line so a test can await a line (the forward being ready) instead of sleeping. Disposing kills
/// it by its PID and waits for it to exit.
/// </summary>
internal sealed class BackgroundSsh : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private readonly Task _stderr;
    private readonly Task _stdout;

    private BackgroundSsh(Process process)
    {
        _process = process;
        _stderr = ReadStderrAsync();
        _stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    }

    public static BackgroundSsh Start(OpenSshClient client) => new(Process.Start(client.CreateStartInfo(null)) ?? throw new InvalidOperationException("ssh did not start."));

    /// <summary>Everything ssh wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Completes with the first stderr line matching <paramref name="pattern"/> (seen already or later); fails on timeout or when ssh exits first.</summary>
    public async Task<Match> WaitForLineAsync(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            foreach (string line in _lines)
            {
                if (regex.Match(line) is { Success: true } m)
                {
                    return m;
                }
            }

            _waiters.Add((regex, found));
        }

        try
        {
            return await found.Task.WithTimeout();
        }
        catch (Exception e) when (e is TimeoutException or EndOfStreamException)
        {
            throw new TimeoutException($"ssh wrote no line matching '{pattern}'; its stderr:\n{Stderr}", e);
        }
    }

    /// <summary>Waits for ssh to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WithTimeout();
        await _stderr.WithTimeout();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().WithTimeout();
        await Task.WhenAll(_stderr, _stdout).WithTimeout();
        _process.Dispose();
    }

    private async Task ReadStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                _lines.Add(line);
                foreach ((Regex pattern, TaskCompletionSource<Match> found) in _waiters)
                {
                    if (pattern.Match(line) is { Success: true } m)
                    {
                        found.TrySetResult(m);
                    }
                }
            }
        }

        lock (_lines)
        {
            foreach ((_, TaskCompletionSource<Match> found) in _waiters)
            {
                found.TrySetException(new EndOfStreamException("ssh exited."));
            }
        }
    }
}

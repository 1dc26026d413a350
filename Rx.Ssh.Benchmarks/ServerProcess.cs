using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// One server process: started with its output captured (the first lines kept for error
/// messages), ready once it says so on a log line or answers with an SSH identification string,
/// and stopped by its own process id.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 50;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, bool>? _readyLine;

    private ServerProcess(ProcessStartInfo psi, Func<string, bool>? readyLine)
    {
        _readyLine = readyLine;
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new ServerExitedException(_process.ExitCode, string.Join('\n', _log)));
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts the process and waits until a log line satisfies <paramref name="readyLine"/>.</summary>
    public static Task<ServerProcess> StartAsync(ProcessStartInfo psi, Func<string, bool> readyLine, TimeSpan timeout) =>
        StartAsync(new ServerProcess(psi, readyLine), null, timeout);

    /// <summary>Starts the process and waits until 127.0.0.1:<paramref name="port"/> answers with <c>SSH-</c>.</summary>
    public static Task<ServerProcess> StartAsync(ProcessStartInfo psi, int port, TimeSpan timeout) =>
        StartAsync(new ServerProcess(psi, null), port, timeout);

    /// <summary>Starts the process and waits until 127.0.0.1:<paramref name="port"/> accepts a TCP connection (e.g. <c>ssh -L</c>'s listener).</summary>
    public static Task<ServerProcess> StartListeningAsync(ProcessStartInfo psi, int port, TimeSpan timeout) =>
        StartAsync(new ServerProcess(psi, null), port, timeout, identification: false);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(); // this PID only
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        _process.Dispose();
    }

    private static async Task<ServerProcess> StartAsync(ServerProcess server, int? port, TimeSpan timeout, bool identification = true)
    {
        try
        {
            server._process.Start();
            server._process.StandardInput.Close();
            server._process.BeginErrorReadLine();
            server._process.BeginOutputReadLine();
            using var cts = new CancellationTokenSource();
            try
            {
                Task ready = port is int p ? Task.WhenAny(server.ProbeAsync(p, identification, cts.Token), server._ready.Task).Unwrap() : server._ready.Task;
                await ready.WaitAsync(timeout); // TimeoutException when it never gets ready
            }
            finally
            {
                await cts.CancelAsync();
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_log.Count < KeptLines)
        {
            _log.Enqueue(line);
        }

        if (_readyLine?.Invoke(line) == true)
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>Connects every 50 ms until the server accepts (and, with <paramref name="identification"/>, sends an identification line) or the process exits.</summary>
    private async Task ProbeAsync(int port, bool identification, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            if (_ready.Task.IsCompleted)
            {
                return;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                if (!identification)
                {
                    _ready.TrySetResult();
                    return;
                }

                var buffer = new byte[256];
                int read = await client.GetStream().ReadAsync(buffer, cancellationToken);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-", StringComparison.Ordinal))
                {
                    _ready.TrySetResult();
                    return;
                }
            }
            catch (SocketException)
            {
                // not listening yet
            }
            catch (IOException)
            {
                // accepted and dropped: not ready yet
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}

/// <summary>The server process exited before it was ready.</summary>
internal sealed class ServerExitedException(int exitCode, string log)
    : Exception($"exited with {exitCode}: {log}")
{
    public int ExitCode { get; } = exitCode;

    public string Log { get; } = log;
}

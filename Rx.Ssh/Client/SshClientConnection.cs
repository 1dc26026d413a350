using System.Net;
using System.Reactive.Linq;
using Rx.Ssh.Client;
using Rx.Ssh.Connection;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Redirection;
using Rx.Ssh.Transport;

namespace Rx.Ssh;

/// <summary>
/// A client connection to an SSH server. Everything it starts is a cold observable: subscribing
/// opens a channel, disposing the subscription closes it. Dispose the connection to disconnect.
/// </summary>
public sealed partial class SshClientConnection : SshConnection
{
    internal SshClientConnection(SshTransport transport, string userName, EndPoint? remote, string host, int port)
        : base(transport, userName, remote)
    {
        Host = host;
        Port = port;
    }

    private AgentForwarding? _agentForwarding;

    /// <summary>What every session gets unless its options say otherwise (from the client options).</summary>
    internal SessionDefaults SessionDefaults { get; init; } = SessionDefaults.None;

    /// <summary>The host name used to connect.</summary>
    public string Host { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The server's host key as accepted during the first key exchange.</summary>
    public SshPublicKey HostKey => ServerHostKey!;

    /// <summary>Asks for agent forwarding on each session and then serves the agent channels from <paramref name="socketPath"/> (<see cref="SshClientOptions.ForwardAgent"/>); before dispatch starts.</summary>
    internal void ForwardAgentTo(string socketPath, Microsoft.Extensions.Logging.ILogger logger) =>
        _agentForwarding = new AgentForwarding(this, socketPath, logger);

    /// <summary>
    /// Runs <paramref name="command"/> and emits the session's events as they happen: output
    /// (stdout and stderr, in arrival order), EOF, exit status or signal, then
    /// <see cref="SshSessionClosed"/> and completion. Cold: each subscription starts the command
    /// once; disposing the subscription closes the channel. Only one observer per subscription
    /// sees the data; use <c>Publish</c> to share. A refused exec fails with
    /// <see cref="SshChannelRequestException"/>; a lost connection with <see cref="SshConnectionException"/>.
    /// Flow control: window goes back to the server when <c>OnNext</c> returns, so a slow observer
    /// slows the command; after <c>ObserveOn</c> (e.g. to a UI thread) <c>OnNext</c> returns at once
    /// and the scheduler's queue, not the channel window, bounds memory (events still arrive in order).
    /// </summary>
    public IObservable<SshSessionEvent> Exec(string command, SshProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        CheckExecOptions(options);
        return Observable.Create<SshSessionEvent>((observer, ct) => RunSessionAsync("exec", command, options ?? new SshProcessOptions(), observer, copyData: true, ct));
    }

    /// <summary>
    /// Runs <paramref name="command"/> to completion and emits one <see cref="SshCompletedProcess"/>.
    /// With <see cref="SshProcessOptions.Check"/> a non-zero exit fails with
    /// <see cref="SshProcessException"/> carrying status, stdout and stderr. Output past
    /// <see cref="SshProcessOptions.MaxOutputBytes"/> fails with <see cref="SshOutputLimitException"/>
    /// and closes the channel. Cold; disposing the subscription closes the channel.
    /// </summary>
    public IObservable<SshCompletedProcess> Run(string command, SshProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        options ??= new SshProcessOptions();
        return Observable.FromAsync(ct => RunAsync(command, options, ct));
    }

    /// <summary>
    /// Starts <paramref name="command"/> (a shell when null) with the options' environment and
    /// terminal, and returns it for interaction (stdin, stdout, stderr, signals, exit).
    /// <see cref="SshProcessOptions.Input"/> is written first, followed by EOF, when given; the
    /// options' <c>Stdin</c>, <c>Stdout</c> and <c>Stderr</c> redirections start at once and
    /// join the process's <see cref="SshClientProcess.Exit"/>.
    /// The process belongs to the caller: dispose it to close the channel.
    /// </summary>
    public async Task<SshClientProcess> CreateProcessAsync(string? command, SshProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SshProcessOptions();
        CheckInput(options);
        SshChannel channel = await OpenChannelAsync("session", null, cancellationToken).ConfigureAwait(false);
        try
        {
            await SessionRequests.StartAsync(channel, command is null ? "shell" : "exec", command, options, SessionDefaults, _agentForwarding, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await channel.CloseAsync().ConfigureAwait(false);
            throw;
        }

        var process = new SshClientProcess(channel, command, options);
        if (options.Input is { } input)
        {
            _ = WriteInputAsync(channel, input, CancellationToken.None);
        }

        return process;
    }

    /// <summary>
    /// Starts <paramref name="command"/> (a shell when null; see <see cref="CreateProcessAsync"/>)
    /// and emits the <see cref="SshClientProcess"/> to interact with. The sequence stays open while
    /// the process runs and completes once it has ended (or was disposed by the subscriber).
    /// Disposing the subscription disposes the process (closing its channel, after
    /// <see cref="SshProcessOptions.DisposeSignal"/> when set). Cold: each subscription starts a
    /// process. The same lifetime as <see cref="SshHost.CreateProcess"/>, without the connection;
    /// to own the process beyond the subscription, use <see cref="CreateProcessAsync"/>.
    /// </summary>
    public IObservable<SshClientProcess> CreateProcess(string? command, SshProcessOptions? options = null) =>
        Observable.Create<SshClientProcess>(async (observer, ct) =>
        {
            await EmitProcessUntilExitAsync(observer, command, options, ct).ConfigureAwait(false);
            observer.OnCompleted();
        });

    /// <summary>Starts a process, emits it, waits until it has ended (or the subscriber disposed it), then disposes it.</summary>
    internal async Task EmitProcessUntilExitAsync(IObserver<SshClientProcess> observer, string? command, SshProcessOptions? options, CancellationToken cancellationToken)
    {
        SshClientProcess process = await CreateProcessAsync(command, options, cancellationToken).ConfigureAwait(false);
        await using (process.ConfigureAwait(false))
        {
            observer.OnNext(process);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SshChannelException)
            {
                // Disposed by the subscriber before it ended: nothing more to report.
            }
        }
    }

    /// <summary>Runs <paramref name="command"/> with <see cref="SshProcessOptions.Check"/> set as given.</summary>
    public IObservable<SshCompletedProcess> Run(string command, bool check) => Run(command, new SshProcessOptions { Check = check });

    /// <summary>
    /// Task form of <see cref="Run(string, SshProcessOptions?)"/>. With the options' <c>Stdin</c>,
    /// <c>Stdout</c> or <c>Stderr</c>, those streams are redirected (a redirected output is not
    /// captured in the result) and the run ends when the process and its redirections have; a failed
    /// redirection fails it with <see cref="SshRedirectException"/>.
    /// </summary>
    public async Task<SshCompletedProcess> RunAsync(string command, SshProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        options ??= new SshProcessOptions();
        CheckInput(options);
        if (options is { Stdin: not null } or { Stdout: not null } or { Stderr: not null })
        {
            return await RunRedirectedAsync(command, options, cancellationToken).ConfigureAwait(false);
        }
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        SshProcessExit exit = new(null);
        long limit = options.MaxOutputBytes;
        var collector = System.Reactive.Observer.Create<SshSessionEvent>(e =>
        {
            switch (e)
            {
                case SshDataReceived d:
                    // Throwing here ends the session pump, which closes the channel.
                    MemoryStream into = d.Stream == SshStandardStream.Stdout ? stdout : stderr;
                    if (d.Data.Length > limit - into.Length)
                    {
                        throw new SshOutputLimitException(d.Stream, limit, "captured by Run");
                    }

                    into.Write(d.Data.Span);
                    break;
                case SshExitReceived x:
                    exit = x.Exit;
                    break;
            }
        });
        await RunSessionAsync("exec", command, options, collector, copyData: false, cancellationToken).ConfigureAwait(false);
        var result = new SshCompletedProcess
        {
            Command = command,
            Exit = exit,
            StdoutBytes = stdout.GetBuffer().AsMemory(0, (int)stdout.Length),
            StderrBytes = stderr.GetBuffer().AsMemory(0, (int)stderr.Length),
        };
        if (options.Check && !exit.Succeeded)
        {
            throw new SshProcessException(result);
        }

        return result;
    }

    /// <summary>Task form of <see cref="Exec"/>: the returned task ends after the channel is closed (and, when cancelled, after the dispose signal went out).</summary>
    internal Task ExecAsync(string command, SshProcessOptions? options, IObserver<SshSessionEvent> observer, CancellationToken cancellationToken) =>
        RunSessionAsync("exec", command, options ?? new SshProcessOptions(), observer, copyData: true, cancellationToken);

    private async Task<SshCompletedProcess> RunRedirectedAsync(string command, SshProcessOptions options, CancellationToken cancellationToken)
    {
        SshClientProcess process = await CreateProcessAsync(command, options, cancellationToken).ConfigureAwait(false);
        await using (process.ConfigureAwait(false))
        {
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            Task captureOut = options.Stdout is null ? CaptureAsync(process.Stdout, stdout, SshStandardStream.Stdout, options.MaxOutputBytes, cancellationToken) : Task.CompletedTask;
            Task captureErr = options.Stderr is null ? CaptureAsync(process.Stderr, stderr, SshStandardStream.Stderr, options.MaxOutputBytes, cancellationToken) : Task.CompletedTask;
            Task<SshProcessExit> exited = process.WaitForExitAsync(cancellationToken);

            // A capture over its limit fails the run at once (disposing the process closes the channel).
            await RedirectPump.WhenAll([captureOut, captureErr, exited], failFast: true).ConfigureAwait(false);
            SshProcessExit exit = await exited.ConfigureAwait(false);
            var result = new SshCompletedProcess
            {
                Command = command,
                Exit = exit,
                StdoutBytes = stdout.GetBuffer().AsMemory(0, (int)stdout.Length),
                StderrBytes = stderr.GetBuffer().AsMemory(0, (int)stderr.Length),
            };
            if (options.Check && !exit.Succeeded)
            {
                throw new SshProcessException(result);
            }

            return result;
        }
    }

    /// <summary>Copies <paramref name="reader"/> into <paramref name="into"/>, failing once it would pass <paramref name="limit"/> bytes.</summary>
    private static async Task CaptureAsync(SshProcessReader reader, MemoryStream into, SshStandardStream stream, long limit, CancellationToken cancellationToken)
    {
        reader.MarkRead();
        byte[] buffer = new byte[32 * 1024];
        int n;
        while ((n = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (n > limit - into.Length)
            {
                throw new SshOutputLimitException(stream, limit, "captured by Run");
            }

            into.Write(buffer, 0, n);
        }
    }

    /// <summary>Exec's checks, shared with <see cref="SshHost.Exec"/>: output is the events, input comes one way.</summary>
    internal static void CheckExecOptions(SshProcessOptions? options)
    {
        if (options is { Stdout: not null } or { Stderr: not null })
        {
            throw new ArgumentException("Exec reports the output as events; redirect stdout and stderr with Run or CreateProcess.", nameof(options));
        }

        CheckInput(options);
    }

    private static void CheckInput(SshProcessOptions? options)
    {
        if (options is { Input: not null, Stdin: not null })
        {
            throw new ArgumentException("Give the input either as Input or as Stdin, not both.", nameof(options));
        }
    }

    // copyData: false only for observers that use each data event before OnNext returns (RunAsync copies into its buffers).
    private async Task RunSessionAsync(string requestType, string? command, SshProcessOptions options, IObserver<SshSessionEvent> observer, bool copyData, CancellationToken cancellationToken)
    {
        SshChannel channel = await OpenChannelAsync("session", null, cancellationToken).ConfigureAwait(false);
        Task input = Task.CompletedTask;
        using var inputStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await SessionRequests.StartAsync(channel, requestType, command, options, SessionDefaults, _agentForwarding, cancellationToken).ConfigureAwait(false);
            input = options.Stdin is { } source
                ? RedirectPump.RunAsync(source, SshSink.ToChannel(channel), SshStandardStream.Stdin, inputStop.Token)
                : WriteInputAsync(channel, options.Input, cancellationToken);
            await SessionPump.RunAsync(channel, observer, copyData, cancellationToken).ConfigureAwait(false);

            // The session is over: a source still waiting for data has nothing left to feed.
            await inputStop.CancelAsync().ConfigureAwait(false);
            try
            {
                await input.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested && options.DisposeSignal is { } signal)
            {
                await Session.SessionSignals.TrySendAsync(channel, signal).ConfigureAwait(false);
            }

            IO.TaskFaults.Observe(input);
            await channel.CloseAsync().ConfigureAwait(false);
        }
    }

    private static async Task WriteInputAsync(SshChannel channel, ReadOnlyMemory<byte>? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is { } data)
            {
                await channel.WriteAsync(data, null, cancellationToken).ConfigureAwait(false);
            }

            await channel.SendEofAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SshChannelException)
        {
            // The process exited without reading all its input; its exit status tells the story.
        }
    }

}

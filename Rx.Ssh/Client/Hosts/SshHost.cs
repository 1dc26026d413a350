using System.Globalization;
using System.Reactive.Linq;

namespace Rx.Ssh;

/// <summary>
/// A server to reach, with everything needed to connect: name, port, login name and client
/// options. Each operation on it (<see cref="Run(string, SshProcessOptions?)"/>,
/// <see cref="Exec"/>, <see cref="CreateProcess"/>, <see cref="Using{T}"/>) is a cold observable
/// that connects, does its work and disconnects, once per subscription, so a list of hosts composes
/// with plain Rx: <c>hosts.ToObservable().SelectMany(h =&gt; h.Run("ls"))</c>.
/// </summary>
/// <remarks>
/// <para>
/// Rx semantics: in <c>SelectMany</c> the first host to fail ends the whole sequence with that
/// host's error and disposes the other subscriptions (their channels close, their connections
/// end). To keep going per host, wrap each host's operation: <c>h.Run("ls").Materialize()</c>, or
/// use <see cref="SshHostExtensions.Gather{T}"/> / <see cref="SshHostExtensions.RunAll"/>, which emit
/// one <see cref="SshHostResult{T}"/> per host, success or failure, and never end early.
/// </para>
/// <para>
/// From text with <see cref="Parse"/> (no implicit conversion, since parsing can fail): <c>SshHost[] hosts = [SshHost.Parse("alice@web1"), SshHost.Parse("web2:2222")];</c>.
/// </para>
/// </remarks>
public sealed record SshHost
{
    /// <summary>A host reached over TCP at <paramref name="host"/>:<paramref name="port"/> with the given options (defaults when null).</summary>
    public SshHost(string host, int port = 22, SshClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        Host = host;
        Port = port;
        Options = options ?? new SshClientOptions();
    }

    /// <summary>The host name or address; also the name host keys are checked against.</summary>
    public string Host { get; init; }

    /// <summary>The port; default 22.</summary>
    public int Port { get; init; }

    /// <summary>The login name; when null, <see cref="SshClientOptions.UserName"/> of <see cref="Options"/>.</summary>
    public string? UserName { get; init; }

    /// <summary>How to connect and authenticate.</summary>
    public SshClientOptions Options { get; init; }

    /// <summary>
    /// How to reach the server: null (the default) opens a TCP connection to <see cref="Host"/>:<see cref="Port"/>;
    /// otherwise a function that returns a connected stream per connection (a proxy, a tunnel, an
    /// in-memory server as <see cref="Testing.InMemorySshServer"/> gives).
    /// </summary>
    public Func<CancellationToken, Task<Stream>>? OpenStream { get; init; }

    /// <summary>
    /// Parses <c>[user@]host[:port]</c> (an IPv6 address with a port in brackets: <c>[::1]:2222</c>).
    /// Missing parts come from <paramref name="options"/> (user name) and <paramref name="defaultPort"/>.
    /// </summary>
    /// <exception cref="FormatException">The text is empty or the port is not a number from 1 to 65535.</exception>
    public static SshHost Parse(string text, SshClientOptions? options = null, int defaultPort = 22)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rest = text.Trim();
        string? user = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
        }

        int port = defaultPort;
        string host = rest;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"Missing ']' in host '{text}'.");
            }

            host = rest[1..close];
            string after = rest[(close + 1)..];
            if (after.Length > 0)
            {
                port = after[0] == ':' ? ParsePort(after[1..], text) : throw new FormatException($"Unexpected '{after}' after host in '{text}'.");
            }
        }
        else if (rest.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0 && rest.LastIndexOf(':') == colon)
        {
            host = rest[..colon];
            port = ParsePort(rest[(colon + 1)..], text);
        }

        if (host.Length == 0 || user is { Length: 0 })
        {
            throw new FormatException($"'{text}' is not [user@]host[:port].");
        }

        return new SshHost(host, port, options) { UserName = user };
    }


    /// <summary>
    /// Connects and authenticates. Cold: each subscription is a fresh connection attempt, so
    /// <c>Timeout</c> disposes (cancels) the attempt in progress and <c>Retry</c> starts a new one.
    /// The connection belongs to the subscriber once emitted.
    /// </summary>
    public IObservable<SshClientConnection> Connect() => SshClient.ConnectCold(ConnectAsync);

    /// <summary>Connects and authenticates; the caller disposes the connection.</summary>
    public async Task<SshClientConnection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        SshClientOptions options = UserName is null ? Options : Options with { UserName = UserName };
        if (OpenStream is null)
        {
            return await SshClient.ConnectAsync(Host, Port, options, cancellationToken).ConfigureAwait(false);
        }

        Stream stream = await OpenStream(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SshClient.ConnectAsync(stream, Host, Port, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Connects, subscribes to what <paramref name="use"/> returns for the connection, forwards its
    /// values, and disconnects when it ends (before completion or the error is passed on) or when
    /// the subscription is disposed (the inner subscription is disposed first, then the connection
    /// is closed at once, so cleanup the inner operation would still send, such as
    /// <see cref="SshProcessOptions.DisposeSignal"/>, may not go out; <see cref="Exec"/>,
    /// <see cref="Run(string, SshProcessOptions?)"/> and <see cref="CreateProcess"/> wait for theirs).
    /// Cold: one connection per subscription.
    /// </summary>
    public IObservable<T> Using<T>(Func<SshClientConnection, IObservable<T>> use) => SshClient.UsingConnection(ConnectAsync, use);

    /// <summary>
    /// Connects, runs <paramref name="command"/> to completion, disconnects and emits one
    /// <see cref="SshCompletedProcess"/>. Cold: each subscription connects again. Fails with the
    /// connection's error (<see cref="SshConnectionException"/>, <see cref="SshPermissionDeniedException"/>,
    /// <see cref="SshHostKeyNotTrustedException"/>), <see cref="SshChannelRequestException"/> when the
    /// server refuses the command, or <see cref="SshProcessException"/> with
    /// <see cref="SshProcessOptions.Check"/> and a non-zero exit. Disposing the subscription closes
    /// the channel and disconnects. The same as <see cref="SshClientConnection.Run(string, SshProcessOptions?)"/>
    /// plus the connection.
    /// </summary>
    public IObservable<SshCompletedProcess> Run(string command, SshProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Observable.FromAsync(ct => RunAsync(command, options, ct));
    }

    /// <summary>Runs <paramref name="command"/> with <see cref="SshProcessOptions.Check"/> set as given; see <see cref="Run(string, SshProcessOptions?)"/>.</summary>
    public IObservable<SshCompletedProcess> Run(string command, bool check) => Run(command, new SshProcessOptions { Check = check });

    /// <summary>Task form of <see cref="Run(string, SshProcessOptions?)"/>: connect, run (as <see cref="SshClientConnection.RunAsync"/>), disconnect.</summary>
    public async Task<SshCompletedProcess> RunAsync(string command, SshProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        SshClientConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.RunAsync(command, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Connects and runs <paramref name="command"/>, emitting its session events (stdout and stderr
    /// merged in arrival order, exit status, close) as <see cref="SshClientConnection.Exec"/> does,
    /// then disconnects. Cold; disposing the subscription closes the channel and disconnects. The
    /// options are checked as there (stdout and stderr cannot be redirected: they are the events).
    /// </summary>
    public IObservable<SshSessionEvent> Exec(string command, SshProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        SshClientConnection.CheckExecOptions(options);
        return Observable.Create<SshSessionEvent>(async (observer, ct) =>
        {
            SshClientConnection connection = await ConnectAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await connection.ExecAsync(command, options, observer, ct).ConfigureAwait(false);
            }

            observer.OnCompleted();
        });
    }

    /// <summary>
    /// Connects, starts <paramref name="command"/> (a shell when null) and emits the
    /// <see cref="SshClientProcess"/> to interact with, as <see cref="SshClientConnection.CreateProcess"/>
    /// does: the sequence stays open while the process runs and completes once it has ended (or was
    /// disposed by the subscriber); then the connection is closed. Disposing the subscription
    /// disposes the process (closing its channel, after <see cref="SshProcessOptions.DisposeSignal"/>
    /// when set) and disconnects. Cold: each subscription connects again.
    /// </summary>
    public IObservable<SshClientProcess> CreateProcess(string? command, SshProcessOptions? options = null) =>
        Observable.Create<SshClientProcess>(async (observer, ct) =>
        {
            SshClientConnection connection = await ConnectAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await connection.EmitProcessUntilExitAsync(observer, command, options, ct).ConfigureAwait(false);
            }

            observer.OnCompleted();
        });

    /// <summary><c>user@host:port</c>, as <see cref="Parse"/> reads it (the user only when set here).</summary>
    public override string ToString()
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        string user = UserName is null ? string.Empty : UserName + "@";
        return string.Create(CultureInfo.InvariantCulture, $"{user}{host}:{Port}");
    }

    private static int ParsePort(string text, string whole) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"Bad port '{text}' in '{whole}'.");
}

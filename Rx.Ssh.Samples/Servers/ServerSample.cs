using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// What every server sample shares: the files the document names (read from the working
/// directory; a missing or unreadable one is one line on stderr and exit code 1), and listening
/// on <c>--listen</c>/<c>--port</c> until Ctrl-C.
/// </summary>
internal static class ServerSample
{
    /// <summary>
    /// Prints <c>Listening on ADDRESS port N</c> when the sample was started with <c>--port 0</c>: the
    /// only way to learn the port then. With a fixed port (8022 by default) nothing is printed, so the
    /// output is the original's.
    /// </summary>
    public static Task AnnounceAsync(SampleContext context, IPAddress address, int port) =>
        context.Port == 0 ? context.Out.WriteLineAsync($"Listening on {address} port {port}") : Task.CompletedTask;

    /// <summary>
    /// Loads <c>ssh_host_key</c>, listens with <paramref name="options"/>, prints
    /// <c>Listening on ADDRESS port N</c> when <c>--port 0</c> asked for a port the system picks
    /// (<see cref="AnnounceAsync"/>), and serves until
    /// <see cref="SampleContext.Stopping"/>; then stops listening and disconnects every client.
    /// </summary>
    public static async Task<int> ListenAsync(SampleContext context, SshServerOptions options)
    {
        if (!TryParseAddress(context, out IPAddress? address))
        {
            return 1;
        }

        using SshPrivateKey? hostKey = Read(context, "ssh_host_key", "host key", path => SshPrivateKey.Load(path));
        if (hostKey is null)
        {
            return 1;
        }

        options = options with { Address = address, Port = context.ServerPort, HostKeys = [hostKey] };
        SshListener listener;
        try
        {
            listener = await SshServer.StartAsync(options, context.Stopping);
        }
        catch (SshException ex)
        {
            await context.Error.WriteLineAsync(ex.Message);
            return 1;
        }

        // Ctrl-C stops the server (only while it listens: client samples keep the default).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        }))
        await using (listener)
        {
            await AnnounceAsync(context, listener.LocalEndPoint.Address, listener.Port);
            await WhenCancelled(stop.Token);
        }

        await listener.DisconnectAllAsync();
        return 0;
    }

    /// <summary>Loads an authorized_keys-format file (<c>ssh_user_ca</c>); null after one line on stderr when it cannot be read.</summary>
    /// <summary>
    /// The document's usual server: clients whose keys are in <c>ssh_user_ca</c> may log in, and
    /// <paramref name="handler"/> serves each session (AsyncSSH's <c>listen(authorized_client_keys=..., process_factory=...)</c>).
    /// </summary>
    public static async Task<int> ListenWithUserCaAsync(SampleContext context, Func<SshServerProcess, Task> handler)
    {
        if (LoadAuthorizedKeys(context, "ssh_user_ca") is not { } userCa)
        {
            return 1;
        }

        return await ListenAsync(context, new SshServerOptions { AuthorizedKeys = _ => userCa, ProcessHandler = handler });
    }

    /// <summary>
    /// Listens with <paramref name="options"/> (a server with no shell, such as the forwarding
    /// samples), admitting the clients whose keys are in <c>ssh_user_ca</c>.
    /// </summary>
    public static async Task<int> ListenWithUserCaAsync(SampleContext context, SshServerOptions options)
    {
        if (LoadAuthorizedKeys(context, "ssh_user_ca") is not { } userCa)
        {
            return 1;
        }

        return await ListenAsync(context, options with { AuthorizedKeys = _ => userCa });
    }

    public static AuthorizedKeysFile? LoadAuthorizedKeys(SampleContext context, string fileName) =>
        Read(context, fileName, "authorized keys", path => AuthorizedKeysFile.Parse(File.ReadAllText(path), path));

    /// <summary>The client's address as a person reads it (IPv4 rather than IPv4-mapped IPv6).</summary>
    public static string Describe(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => ip.Address.MapToIPv4().ToString(),
        IPEndPoint ip => ip.Address.ToString(),
        null => "an unknown peer",
        _ => endPoint.ToString() ?? "an unknown peer",
    };

    /// <summary>
    /// Loads <paramref name="fileName"/> from the working directory with <paramref name="load"/>; null
    /// after one line on stderr naming the file when it is missing or unreadable.
    /// </summary>
    public static T? Read<T>(SampleContext context, string fileName, string what, Func<string, T> load)
        where T : class
    {
        string path = Path.Combine(context.WorkingDirectory, fileName);
        try
        {
            return load(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshKeyFormatException or FormatException)
        {
            string reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => (ex.InnerException ?? ex).Message,
            };
            context.Error.WriteLine($"Cannot read {what} file '{fileName}': {reason}.");
            return null;
        }
    }

    /// <summary>
    /// Loads the optional certificate file <paramref name="fileName"/> (null when there is none);
    /// returns true (failed) after one line on stderr when it exists but cannot be read.
    /// </summary>
    public static bool ReadOptionalCertificate(SampleContext context, string fileName, out SshCertificate? certificate)
    {
        certificate = null;
        if (!File.Exists(Path.Combine(context.WorkingDirectory, fileName)))
        {
            return false;
        }

        certificate = Read(context, fileName, "certificate", path => SshCertificate.Load(path));
        return certificate is null;
    }

    /// <summary>The address <c>--listen</c> names, or all interfaces; false after one line on stderr for an invalid one.</summary>
    public static bool TryParseAddress(SampleContext context, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        if (context.Listen is null)
        {
            // All interfaces, as the document's listen('', 8022): one dual-mode socket where IPv6 exists.
            address = Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
            return true;
        }

        if (IPAddress.TryParse(context.Listen, out address))
        {
            return true;
        }

        context.Error.WriteLine($"Invalid --listen address '{context.Listen}': give an IP address such as 127.0.0.1 or ::.");
        return false;
    }

    /// <summary>Waits for Ctrl-C (handled: the process is not killed) or <see cref="SampleContext.Stopping"/>.</summary>
    public static async Task WaitForStopAsync(SampleContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        }))
        {
            await WhenCancelled(stop.Token);
        }
    }

    private static Task WhenCancelled(CancellationToken token)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => stopped.TrySetResult());
        return stopped.Task;
    }
}

using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>A long-running client sample (a forward) started in-process: its output as it comes, and its exit.</summary>
internal sealed class SampleUnderTest
{
    private readonly Task<int> _exit;

    private SampleUnderTest(Task<int> exit, LineWriter output, LineWriter error)
    {
        _exit = exit;
        Out = output;
        Error = error;
    }

    public LineWriter Out { get; }

    public LineWriter Error { get; }

    /// <summary>Starts sample <paramref name="name"/> with <paramref name="context"/> (its Out and Error replaced).</summary>
    public static SampleUnderTest Start(string name, SampleContext context)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        ISample sample = SampleCatalog.Find(name) ?? throw new ArgumentException($"No sample '{name}'.", nameof(name));
        return new SampleUnderTest(Task.Run(() => sample.RunAsync(context with { Out = output, Error = error })), output, error);
    }

    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/>, where the sample's forward listens once it is up.
    /// These samples print nothing when they start listening (as their originals), so a refused
    /// connect is retried until one is accepted; the sample exiting first fails the wait with its output.
    /// </summary>
    public async Task<Socket> ConnectWhenListeningAsync(int port)
    {
        using var deadline = new CancellationTokenSource(TestTimeout.Long);
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
                return socket;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                socket.Dispose();
            }

            if (await Task.WhenAny(_exit, Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token)) == _exit)
            {
                throw new InvalidOperationException($"The sample exited ({await _exit}) before listening on {port}: {Out.Text}{Error.Text}");
            }
        }
    }

    /// <summary>Waits for the sample to exit (after the test ended its connection).</summary>
    public async Task<ClientSampleRun> ExitAsync() => new(await _exit.WithTimeout(TestTimeout.Long), Out.Text, Error.Text);
}

using System.Reactive;
using System.Text;
using Rx.Ssh.Client;
using Rx.Ssh.Connection;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// A client session driven step by step (the public client API runs commands with all their
/// input up front): write input, send EOF, breaks and window changes, and await output as it comes.
/// </summary>
internal sealed class InteractiveSession : IAsyncDisposable
{
    private readonly SshChannel _channel;
    private readonly Decoder _stdoutDecoder = Encoding.UTF8.GetDecoder();
    private readonly Decoder _stderrDecoder = Encoding.UTF8.GetDecoder();
    private readonly Task _pump;
    private int? _exitStatus;

    private InteractiveSession(SshChannel channel)
    {
        _channel = channel;
        _pump = Task.Run(() => SessionPump.RunAsync(channel, Observer.Create<SshSessionEvent>(OnEvent), copyData: false, CancellationToken.None));
    }

    /// <summary>What the server wrote to stdout.</summary>
    public LineWriter Stdout { get; } = new();

    /// <summary>What the server wrote to stderr.</summary>
    public LineWriter Stderr { get; } = new();

    /// <summary>Opens a session and starts a shell (or <paramref name="command"/>) with <paramref name="options"/> (environment, pty).</summary>
    public static async Task<InteractiveSession> StartAsync(SshClientConnection connection, SshProcessOptions? options = null, string? command = null)
    {
        SshChannel channel = await connection.OpenChannelAsync("session", null, CancellationToken.None).WithTimeout();
        await SessionRequests.StartAsync(channel, command is null ? "shell" : "exec", command, options ?? new SshProcessOptions(), SessionDefaults.None, null, CancellationToken.None).WithTimeout();
        return new InteractiveSession(channel);
    }

    public Task WriteAsync(string text) => _channel.WriteAsync(Encoding.UTF8.GetBytes(text), null, CancellationToken.None).WithTimeout();

    public Task SendEofAsync() => _channel.SendEofAsync().WithTimeout();

    public Task<bool> SendBreakAsync(int milliseconds = 0) =>
        _channel.SendRequestAsync("break", true, w => w.WriteUInt32((uint)milliseconds), CancellationToken.None).WithTimeout();

    public Task ResizeAsync(int columns, int rows, int pixelWidth = 0, int pixelHeight = 0) =>
        _channel.SendRequestAsync("window-change", false, w =>
        {
            // uint32 width chars, uint32 height rows, uint32 width px, uint32 height px
            w.WriteUInt32((uint)columns);
            w.WriteUInt32((uint)rows);
            w.WriteUInt32((uint)pixelWidth);
            w.WriteUInt32((uint)pixelHeight);
        }, CancellationToken.None).WithTimeout();

    /// <summary>Waits for the channel to close; returns the exit status the server sent.</summary>
    public async Task<int?> WaitForExitAsync()
    {
        await _pump.WithTimeout();
        return _exitStatus;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        try
        {
            await _pump.WithTimeout();
        }
        catch (SshException)
        {
            // The connection went first.
        }
    }

    private void OnEvent(SshSessionEvent e)
    {
        switch (e)
        {
            case SshDataReceived { Stream: SshStandardStream.Stdout } data:
                Stdout.Write(Decode(_stdoutDecoder, data.Data.Span));
                break;
            case SshDataReceived data:
                Stderr.Write(Decode(_stderrDecoder, data.Data.Span));
                break;
            case SshExitReceived { Exit.ExitStatus: { } exitStatus }:
                _exitStatus = exitStatus;
                break;
        }
    }

    private static string Decode(Decoder decoder, ReadOnlySpan<byte> bytes)
    {
        char[] chars = new char[decoder.GetCharCount(bytes, flush: false)];
        int n = decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, n);
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// One SFTP session on one channel. The read loop takes a packet only when one of
/// <see cref="SftpServerOptions.MaxConcurrentRequests"/> slots is free (so a busy server stops
/// reading and the channel window stops the client), parses it, registers it with the ordering
/// of its handle (<see cref="RangeOrdering"/>) or of paths (<see cref="PathOrdering"/>) in arrival
/// order, and runs it on the thread pool; each reply is written when its request completes, under
/// one write lock. At the end (EOF, cancellation, a framing error) every running request is
/// awaited, then every handle closed.
/// </summary>
internal sealed partial class SftpServerSession
{
    // OpenSSH's client accepts packets up to 256 KiB: NAME replies stay under it.
    private const int NameReplyBudget = (256 * 1024) - 4096;

    private readonly SftpServerOptions _options;
    private readonly SftpFileSystem _fs;
    private readonly Stream _stream;
    private readonly string _userName;
    private readonly HandleTable _handles;
    private readonly PathOrdering _paths = new();
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _replyLimit;
    private readonly bool _linkFirst;
    private CancellationToken _cancellation;

    /// <param name="options">The server's SFTP settings.</param>
    /// <param name="fileSystem">What the requests act on.</param>
    /// <param name="stream">The subsystem's channel.</param>
    /// <param name="userName">The session's user.</param>
    /// <param name="linkFirst">SYMLINK comes in the draft's order, link first (an AsyncSSH client, <see cref="SftpSymlinkOrder"/>).</param>
    public SftpServerSession(SftpServerOptions options, SftpFileSystem fileSystem, Stream stream, string userName, bool linkFirst = false)
    {
        _linkFirst = linkFirst;
        _options = options;
        _fs = fileSystem;
        _stream = stream;
        _userName = userName;
        _handles = new HandleTable(options.MaxOpenHandles);
        _slots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        _replyLimit = Math.Max(options.MaxPacketLength, SftpServerOptions.DefaultMaxPacketLength);
    }

    /// <summary>Serves until the client's EOF (exit status 0) or a framing error (1).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        PipeReader reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        int exitStatus = 0;
        try
        {
            if (await HandshakeAsync(reader, cancellationToken).ConfigureAwait(false))
            {
                await ReadLoopAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                exitStatus = 1;
            }
        }
        catch (SftpProtocolException)
        {
            exitStatus = 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The channel went away under the read.
        }
        catch (SshConnectionException)
        {
            // So did the whole connection (a client that disconnects without closing the channel):
            // an ordinary end, nothing to log; the cleanup below runs either way.
        }
        finally
        {
            await DrainAsync().ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        return exitStatus;
    }

    private async Task<bool> HandshakeAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        byte[]? packet = await ReadPacketAsync(reader, cancellationToken).ConfigureAwait(false);
        if (packet is null)
        {
            return false;
        }

        try
        {
            var r = new SftpPacketReader(packet.AsSpan(4, PacketLength(packet)));
            if ((SftpPacketType)r.ReadByte() != SftpPacketType.Init)
            {
                return false;
            }

            SftpHello.Read(ref r);
        }
        finally
        {
            Return(packet);
        }

        var extensions = SftpExtensionNames.OpenSshVersions
            .Select(e => new KeyValuePair<string, byte[]>(e.Key, Encoding.ASCII.GetBytes(e.Value)))
            .ToList();
        using SftpPacketWriter version = new SftpHello(SftpHello.ProtocolVersion, extensions).ToPacket(SftpPacketType.Version);
        await SendAsync(version).ConfigureAwait(false);
        return true;
    }

    private async Task ReadLoopAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            byte[]? packet;
            try
            {
                packet = await ReadPacketAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _slots.Release();
                throw;
            }

            if (packet is null)
            {
                _slots.Release();
                return;
            }

            Dispatch(packet);
        }
    }

    // A whole packet (type byte first) in a pooled buffer whose first 4 bytes hold its length; null at EOF.
    private async ValueTask<byte[]?> ReadPacketAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (SftpFraming.TryReadPacket(ref buffer, _options.MaxPacketLength, out ReadOnlySequence<byte> packet))
            {
                byte[] copy = ArrayPool<byte>.Shared.Rent((int)packet.Length + 4);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(copy, (int)packet.Length);
                packet.CopyTo(copy.AsSpan(4));
                reader.AdvanceTo(buffer.Start);
                return copy;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static int PacketLength(byte[] packet) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(packet);

    private static void Return(byte[] packet) => ArrayPool<byte>.Shared.Return(packet);

    private void Dispatch(byte[] packet)
    {
        int length = PacketLength(packet);
        ReadOnlySpan<byte> span = packet.AsSpan(4, length);
        SftpRequest request;
        try
        {
            request = SftpRequestParser.Parse(span, packet.AsMemory(4, length));
        }
        catch (SftpProtocolException ex)
        {
            if (!SftpRequestParser.TryReadId(span, out uint badId))
            {
                Return(packet);
                _slots.Release();
                throw;
            }

            Start(packet, Task.CompletedTask, () => SendStatusAsync(badId, SftpStatusCode.BadMessage, ex.Message), null);
            return;
        }

        OpenHandle? handle = request.Handle is null ? null : _handles.Find(request.Handle);
        OpenHandle? handle2 = request.Handle2 is null ? null : _handles.Find(request.Handle2);
        Task wait;
        Action? complete = null;
        if (request.Type is SftpPacketType.Write or SftpPacketType.Read && handle is not null)
        {
            (request.AckAfter, request.AckDone) = handle.ChainReply();
        }

        if (request.Handle is not null)
        {
            wait = RegisterOnHandles(request, handle, handle2, out complete);
        }
        else
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _paths.Register(request.ChangesPaths, done.Task);
            complete = done.SetResult;
        }

        Start(packet, wait, () => ExecuteAsync(request, handle, handle2), complete);
    }

    private static Task RegisterOnHandles(SftpRequest request, OpenHandle? handle, OpenHandle? handle2, out Action? complete)
    {
        complete = null;
        if (handle is null)
        {
            return Task.CompletedTask;
        }

        Task first;
        object entry;
        switch (request.Type)
        {
            case SftpPacketType.Read:
                first = handle.Ordering.Register(request.Offset, End(request.Offset, request.Length), writes: false, out entry);
                break;
            case SftpPacketType.Write:
                first = handle.Ordering.Register(request.Offset, End(request.Offset, (ulong)request.Data.Length), writes: true, out entry);
                break;
            default:
                if (request.Extension == SftpExtensionNames.CopyData && handle2 is not null && handle2 != handle)
                {
                    ulong readEnd = request.Length == 0 ? ulong.MaxValue : End(request.Offset, request.Length);
                    first = handle.Ordering.Register(request.Offset, readEnd, writes: false, out entry);
                    ulong writeEnd = request.Length == 0 ? ulong.MaxValue : End(request.Offset2, request.Length);
                    Task second = handle2.Ordering.Register(request.Offset2, writeEnd, writes: true, out object entry2);
                    object e1 = entry;
                    complete = () =>
                    {
                        handle.Ordering.Complete(e1);
                        handle2.Ordering.Complete(entry2);
                    };
                    return Task.WhenAll(first, second);
                }

                first = handle.Ordering.RegisterExclusive(out entry);
                break;
        }

        complete = () => handle.Ordering.Complete(entry);
        return first;
    }

    private static ulong End(ulong offset, ulong length) => ulong.MaxValue - offset < length ? ulong.MaxValue : offset + length;

    private void Start(byte[] packet, Task wait, Func<Task> run, Action? complete)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await wait.ConfigureAwait(false);
                await run().ConfigureAwait(false);
            }
            catch (Exception) when (_cancellation.IsCancellationRequested)
            {
                // The session is ending; nobody reads the reply.
            }
            finally
            {
                complete?.Invoke();
                Return(packet);
                _slots.Release();
            }
        });
    }

    private async Task DrainAsync()
    {
        for (int i = 0; i < _options.MaxConcurrentRequests; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        foreach (OpenHandle handle in _handles.TakeAll())
        {
            try
            {
                await handle.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // Closing at the session's end: nobody to tell.
            }
        }

        _slots.Release(_options.MaxConcurrentRequests);
    }
}

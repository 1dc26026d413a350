namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// One open file or directory of a session, behind the handle string sent to the client (4 bytes,
/// a per-session counter). <see cref="Ordering"/> keeps its overlapping reads and writes in request order.
/// </summary>
internal sealed class OpenHandle
{
    public OpenHandle(uint key, SftpOpenFile? file, SftpOpenDirectory? directory)
    {
        Key = key;
        File = file;
        Directory = directory;
    }

    public uint Key { get; }

    public SftpOpenFile? File { get; }

    public SftpOpenDirectory? Directory { get; }

    public RangeOrdering Ordering { get; } = new();

    /// <summary>Entries read from the directory that did not fit in the last NAME reply.</summary>
    public Queue<DirectoryEntry> PendingEntries { get; } = new();

    /// <summary>Whether the directory returned its last entry.</summary>
    public bool DirectoryDone { get; set; }

    /// <summary>Set by CLOSE (once every earlier request on the handle finished): later requests find it invalid.</summary>
    public bool Closed { get; set; }

    /// <summary>
    /// Chains a READ's or WRITE's reply after the previous one's on this handle (called on the read
    /// loop, so in request order). They run in parallel, but their replies go out in order: OpenSSH
    /// 9.2's scp (SFTP mode, in place) truncates the file at the last in-order reply once it sees
    /// replies reordered (fixed in later OpenSSH, which tracks the highest contiguous offset).
    /// </summary>
    public (Task After, TaskCompletionSource Done) ChainReply()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task after = _lastWriteAck;
        _lastWriteAck = done.Task;
        return (after, done);
    }

    private Task _lastWriteAck = Task.CompletedTask;

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, Key);
        return bytes;
    }

    public ValueTask DisposeAsync() => File is not null ? File.DisposeAsync() : Directory?.DisposeAsync() ?? ValueTask.CompletedTask;
}

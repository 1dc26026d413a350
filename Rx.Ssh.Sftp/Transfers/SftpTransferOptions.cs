namespace Rx.Ssh.Sftp;

/// <summary>How <see cref="SftpClient.Get(string, string, SftpTransferOptions?)"/> and <see cref="SftpClient.Put(string, string, SftpTransferOptions?)"/> transfer.</summary>
public sealed record SftpTransferOptions
{
    /// <summary>The defaults: start from zero, no preservation, the client's block size and depth.</summary>
    public static SftpTransferOptions Default { get; } = new();

    /// <summary>
    /// Resume (<c>reget</c>/<c>reput</c>): keep the bytes the destination already has and transfer
    /// the rest. A download keeps its local file's length (written in order, so a prefix of the
    /// source); an upload keeps the remote file's length (an interrupted upload truncates its file to
    /// the highest offset below which every write was acknowledged, so that too is a prefix). A
    /// destination larger than the source fails with <see cref="SftpException"/>.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>Copy the source's access and modification times to the destination.</summary>
    public bool PreserveTimes { get; init; }

    /// <summary>Copy the source's permission bits to the destination.</summary>
    public bool PreservePermissions { get; init; }

    /// <summary>Sets <see cref="PreserveTimes"/> and <see cref="PreservePermissions"/> together.</summary>
    public bool Preserve
    {
        get => PreserveTimes && PreservePermissions;
        init => PreserveTimes = PreservePermissions = value;
    }

    /// <summary>Transfer directories with everything under them (multi-file forms); a file is transferred either way.</summary>
    public bool Recursive { get; init; }

    /// <summary>
    /// Files transferred at once by a recursive transfer (each pipelined, sharing the requests in
    /// flight); default 8. Small files cost a few round trips each, which overlapping hides.
    /// </summary>
    public int MaxConcurrentFiles
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxConcurrentFiles));
            field = value;
        }
    } = 8;

    /// <summary>The block size; null takes the client's (<see cref="SftpClient.ReadBlockSize"/> / <see cref="SftpClient.WriteBlockSize"/>).</summary>
    public int? BlockSize { get; init; }

    /// <summary>Requests in flight; null takes the client's (<see cref="SftpClientOptions.MaxRequestsInFlight"/>).</summary>
    public int? MaxRequestsInFlight { get; init; }
}

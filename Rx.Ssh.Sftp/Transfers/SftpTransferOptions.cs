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
    /// Follow symbolic links met inside the directories of a recursive transfer (AsyncSSH's
    /// <c>follow_symlinks</c>): a link to a file is transferred as a file with the target's content
    /// (and, when preserving, its attributes), a link to a directory as a directory with the target's
    /// contents. False (the default) recreates each link as a link with the same target text. Either
    /// way the paths named in the call are followed (as OpenSSH's <c>sftp</c> does). A link that cannot
    /// be followed is still recreated as a link: one whose target is missing (dangling), and one to a
    /// directory that is already being transferred above it (a loop), so following never recurses
    /// without end.
    /// </summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>
    /// Files transferred at once by a recursive or multi-file transfer (each pipelined, sharing the
    /// requests in flight); default 16, and never more than half the open handles the server's
    /// <c>limits@openssh.com</c> allows. Each small file costs round trips (open, read or write,
    /// close) that overlapping hides: against sshd's sftp-server on loopback a tree of 1,000 files of
    /// 64 KiB moved 1.5-1.7× faster with 16 than with 8 (32 and 64 were no better within the noise).
    /// </summary>
    public int MaxConcurrentFiles
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxConcurrentFiles));
            field = value;
        }
    } = 16;

    /// <summary>The block size; null takes the client's (<see cref="SftpClient.ReadBlockSize"/> / <see cref="SftpClient.WriteBlockSize"/>).</summary>
    public int? BlockSize { get; init; }

    /// <summary>Requests in flight; null takes the client's (<see cref="SftpClientOptions.MaxRequestsInFlight"/>).</summary>
    public int? MaxRequestsInFlight { get; init; }

    /// <summary>The file size from which an upload spreads over <see cref="DefaultUploadChannels"/> channels when <see cref="UploadChannels"/> is null: 256 MiB.</summary>
    public const long ParallelUploadThreshold = 256L * 1024 * 1024;

    /// <summary>The channels a large upload uses when <see cref="UploadChannels"/> is null: 4.</summary>
    public const int DefaultUploadChannels = 4;

    /// <summary>
    /// SFTP sessions, each on its own channel of the same connection, one file's upload writes
    /// through; null (the default) takes <see cref="DefaultUploadChannels"/> when what is left to send
    /// of a file transferred on its own (not while a tree or multi-file transfer moves several files
    /// at once, which already overlap) is at least <see cref="ParallelUploadThreshold"/>, else 1 (rclone's
    /// multi-thread streams make the same trade). The server's receive window caps each channel: OpenSSH's sshd
    /// gives a session channel 2 MiB, so one channel moves at most 2 MiB per round trip, about
    /// 200 MB/s over a 10 ms link whatever the client does; N channels lift that N times. The writes
    /// are dealt to the channels' handles as they have room, the requests in flight
    /// (<see cref="MaxRequestsInFlight"/>) are shared, and acknowledgements are tracked across all
    /// of them, so <see cref="Resume"/> and the truncation of an interrupted upload still leave a
    /// prefix. The extra sessions are opened for the file and closed after it; when the server
    /// refuses one (sshd's <c>MaxSessions</c>), or one is not up within 10 s (or the client's
    /// <see cref="SftpClientOptions.ReplyTimeout"/> when shorter), the upload goes on with those it has, and a client
    /// started over a plain stream always uses its one session. Downloads need no extra channels:
    /// this client's receive window grows with the reads in flight.
    /// </summary>
    public int? UploadChannels
    {
        get;
        init
        {
            if (value is { } n)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(UploadChannels));
                ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 16, nameof(UploadChannels));
            }

            field = value;
        }
    }
}

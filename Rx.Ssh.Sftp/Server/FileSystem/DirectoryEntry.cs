namespace Rx.Ssh.Sftp.Server;

/// <summary>One directory entry: its name (no path), attributes and, optionally, the <c>ls -l</c> line clients show.</summary>
/// <param name="Name">The file name within its directory.</param>
/// <param name="Attributes">Its attributes (of the entry itself: a symbolic link is reported as a link).</param>
/// <param name="LongName">The <c>ls -l</c> style line; null lets the server format one (<see cref="LongName.Format"/>).</param>
public sealed record DirectoryEntry(string Name, FileSystemAttributes Attributes, string? LongName = null);

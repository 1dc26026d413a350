using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Dropbear's <c>dbclient</c> pointed at 127.0.0.1: runs one command with a Dropbear-format user key
/// and a pinned host key. Each run gets its own HOME whose <c>.ssh/known_hosts</c> lists only
/// <see cref="HostKeyLines"/>, and runs in a new session (no controlling terminal), so dbclient can
/// never ask a question: an unknown or changed host key fails the run.
/// </summary>
public sealed record DropbearClient
{
    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>The login user.</summary>
    public required string User { get; init; }

    /// <summary>The user key, in Dropbear's format (<see cref="InteropTools.DropbearKeyAsync"/>).</summary>
    public required string IdentityFile { get; init; }

    /// <summary>Host keys trusted for 127.0.0.1, as public key lines (<c>type base64</c>).</summary>
    public required IReadOnlyList<string> HostKeyLines { get; init; }

    /// <summary>The one cipher offered (<c>-c</c>), or null for dbclient's list.</summary>
    public string? Cipher { get; init; }

    /// <summary>The one MAC offered (<c>-m</c>), or null for dbclient's list.</summary>
    public string? Mac { get; init; }

    /// <summary>Runs <paramref name="command"/> on the server with <paramref name="stdin"/> as its input.</summary>
    /// <param name="command">The remote command.</param>
    /// <param name="stdin">Bytes for the command's stdin, then EOF; none when null.</param>
    public async Task<ProcessResult> RunAsync(string command, byte[]? stdin = null)
    {
        InteropTools.RequireDropbear();
        string home = Directory.CreateTempSubdirectory("rxssh-dbclient-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(home, ".ssh"));

            // Dropbear writes and matches known_hosts entries by host alone, whatever the port.
            await File.WriteAllTextAsync(
                Path.Combine(home, ".ssh", "known_hosts"),
                string.Concat(HostKeyLines.Select(line => "127.0.0.1 " + line + "\n")));
            var arguments = new List<string> { "-w", InteropTools.Dbclient, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", User, "-i", IdentityFile };
            if (Cipher is not null)
            {
                arguments.AddRange(["-c", Cipher]);
            }

            if (Mac is not null)
            {
                arguments.AddRange(["-m", Mac]);
            }

            arguments.AddRange(["127.0.0.1", command]);
            System.Diagnostics.ProcessStartInfo start = ProcessRunner.CreateStartInfo("setsid", arguments, [new("HOME", home)]);
            using var input = new MemoryStream(stdin ?? [], writable: false);
            return await ProcessRunner.RunAsync(start, input, null, TestTimeout.Long);
        }
        finally
        {
            KeyCache.TryDelete(home);
        }
    }

    /// <summary>A readable summary of the command line's choices, for assertion messages.</summary>
    public override string ToString() => new StringBuilder("dbclient -p ").Append(Port).Append(" -l ").Append(User)
        .Append(" -i ").Append(IdentityFile).Append(Cipher is null ? string.Empty : " -c " + Cipher).Append(Mac is null ? string.Empty : " -m " + Mac).ToString();
}

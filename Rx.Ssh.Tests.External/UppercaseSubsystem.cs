namespace Rx.Ssh.Tests.External;

/// <summary>
/// A test subsystem written against the public surface only: it sends back what the client sends
/// with ASCII letters upper-cased until the client's EOF, then exits with <see cref="ExitStatus"/>.
/// Register <see cref="ServeAsync"/> under <see cref="Name"/> in <c>SshServerOptions.Subsystems</c>.
/// </summary>
public static class UppercaseSubsystem
{
    /// <summary>The subsystem name tests register.</summary>
    public const string Name = "netconf-test";

    /// <summary>The exit status it ends with, so a test can tell the status came from the handler.</summary>
    public const int ExitStatus = 42;

    /// <summary>The handler.</summary>
    /// <param name="subsystem">The subsystem's channel.</param>
    /// <param name="cancellationToken">Cancelled when the channel closes.</param>
    public static async Task ServeAsync(SshServerSubsystem subsystem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subsystem);
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = await subsystem.Stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] is >= (byte)'a' and <= (byte)'z')
                {
                    buffer[i] -= 'a' - 'A';
                }
            }

            await subsystem.Stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }

        subsystem.ExitStatus = ExitStatus;
    }
}

/// <summary>A client of any subsystem, written against the public surface only.</summary>
public static class SubsystemClient
{
    /// <summary>Starts <paramref name="name"/>, sends <paramref name="input"/> and EOF, and returns everything the subsystem sent until its EOF.</summary>
    /// <param name="connection">The client connection.</param>
    /// <param name="name">The subsystem.</param>
    /// <param name="input">What to send.</param>
    /// <param name="cancellationToken">Stops the exchange.</param>
    public static async Task<byte[]> ExchangeAsync(SshClientConnection connection, string name, ReadOnlyMemory<byte> input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using SshChannelStream channel = await connection.OpenSubsystemAsync(name, cancellationToken);
        Task send = SendAsync(channel, input, cancellationToken);
        using var output = new MemoryStream();
        await channel.CopyToAsync(output, cancellationToken);
        await send;
        return output.ToArray();
    }

    private static async Task SendAsync(SshChannelStream channel, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        await channel.WriteAsync(input, cancellationToken);
        await channel.CompleteWritingAsync(cancellationToken);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Rx.Ssh.Tests.External;

/// <summary>
/// A test-only channel type, written against the public surface only: it waits for
/// <c>decideAfter</c> (two-phase: the decision comes after an await), then either accepts the
/// channel and echoes what it reads until the peer's EOF (then sends EOF and waits for the peer to
/// close), or refuses it with <see cref="RefusalText"/>. Register <see cref="Handler"/> with
/// <c>ChannelOpenHandlers</c> or <c>RegisterChannelOpenHandler</c> on either role.
/// </summary>
public sealed class ExternalChannelType
{
    /// <summary>The channel type tests register.</summary>
    public const string EchoType = "echo@rx-ssh.test";

    /// <summary>The text a refusal carries.</summary>
    public const string RefusalText = "no echo for you";

    private readonly Task _decideAfter;
    private readonly bool _accept;
    private readonly SshChannelSettings? _options;
    private readonly TaskCompletionSource<SshPendingChannel> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _echoed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the type.</summary>
    /// <param name="decideAfter">What to await before deciding (null: decide at once).</param>
    /// <param name="accept">Accept and echo (true) or refuse (false).</param>
    /// <param name="options">Our window and packet size when accepting.</param>
    public ExternalChannelType(Task? decideAfter = null, bool accept = true, SshChannelSettings? options = null)
    {
        _decideAfter = decideAfter ?? Task.CompletedTask;
        _accept = accept;
        _options = options;
    }

    /// <summary>The handler to register.</summary>
    public SshChannelOpenHandler Handler => HandleAsync;

    /// <summary>Completes with the pending channel as soon as the open arrived (before the decision).</summary>
    public Task<SshPendingChannel> Seen => _seen.Task;

    /// <summary>Completes with the number of bytes echoed, once the peer's EOF came.</summary>
    public Task<long> Echoed => _echoed.Task;

    /// <summary>Builds extra data holding one SSH string (uint32 length, UTF-8 bytes).</summary>
    /// <param name="text">The text.</param>
    public static byte[] StringData(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        byte[] data = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)bytes.Length);
        bytes.CopyTo(data, 4);
        return data;
    }

    /// <summary>Reads the one SSH string <see cref="StringData"/> builds.</summary>
    /// <param name="data">The extra data.</param>
    public static string ReadStringData(ReadOnlyMemory<byte> data)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data.Span);
        if (length != data.Length - 4)
        {
            throw new FormatException("Expected exactly one string.");
        }

        return Encoding.UTF8.GetString(data.Span[4..]);
    }

    private async ValueTask HandleAsync(SshPendingChannel pending, CancellationToken cancellationToken)
    {
        _seen.TrySetResult(pending);
        await _decideAfter.WaitAsync(cancellationToken);
        if (!_accept)
        {
            pending.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, RefusalText);
            return;
        }

        await using SshChannelStream channel = _options is null ? pending.Accept() : pending.Accept(_options);
        try
        {
            byte[] buffer = new byte[32 * 1024];
            long total = 0;
            int n;
            while ((n = await channel.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await channel.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                total += n;
            }

            await channel.CompleteWritingAsync(cancellationToken);
            _echoed.TrySetResult(total);
            await channel.Closed.WaitAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            _echoed.TrySetException(ex);
            throw;
        }
    }
}

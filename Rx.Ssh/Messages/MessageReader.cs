using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages;

/// <summary>Helpers shared by the message types.</summary>
internal static class MessageReader
{
    /// <summary>Creates a reader past the message number, checking that the number is <paramref name="expected"/>.</summary>
    public static SshReader Open(ReadOnlySpan<byte> payload, byte expected)
    {
        var reader = new SshReader(payload);
        byte number = reader.ReadByte();
        if (number != expected)
        {
            throw new SshFormatException($"expected message {expected}, got {number}");
        }

        return reader;
    }
}

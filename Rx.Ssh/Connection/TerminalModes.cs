using System.Buffers.Binary;

namespace Rx.Ssh.Connection;

/// <summary>The encoded terminal modes of a pty request (RFC 4254 section 8): opcode byte, uint32 value, ..., TTY_OP_END.</summary>
internal static class TerminalModes
{
    private const byte End = 0;

    public static byte[] Encode(IReadOnlyDictionary<byte, uint> modes)
    {
        byte[] encoded = new byte[(modes.Count * 5) + 1];
        int i = 0;
        foreach (KeyValuePair<byte, uint> mode in modes.OrderBy(m => m.Key))
        {
            if (mode.Key is End or >= 160)
            {
                throw new ArgumentException($"Terminal mode opcode {mode.Key} is not valid.", nameof(modes));
            }

            encoded[i] = mode.Key;
            BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(i + 1), mode.Value);
            i += 5;
        }

        encoded[i] = End;
        return encoded;
    }

    /// <summary>Decodes modes; stops at TTY_OP_END or at the first opcode 160-255 (whose arguments are not defined).</summary>
    public static Dictionary<byte, uint> Decode(ReadOnlySpan<byte> encoded)
    {
        var modes = new Dictionary<byte, uint>();
        while (encoded.Length >= 5 && encoded[0] is > End and < 160)
        {
            modes[encoded[0]] = BinaryPrimitives.ReadUInt32BigEndian(encoded[1..]);
            encoded = encoded[5..];
        }

        return modes;
    }
}

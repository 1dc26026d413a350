using System.Text;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Connection;

/// <summary>
/// Names the peer chooses (channel types, request names) are read without trusting their size:
/// a long one is not decoded whole, and a reply quotes at most <see cref="MaxQuoted"/> characters
/// of it, never the peer's whole string (a 256 KiB channel type must not become a 256 KiB reply).
/// </summary>
internal static class PeerText
{
    /// <summary>Names longer than this (in bytes) are returned shortened: no SSH name is that long.</summary>
    public const int MaxNameLength = 256;

    /// <summary>At most this many characters of a peer's name go into a message or a log line.</summary>
    public const int MaxQuoted = 64;

    /// <summary>
    /// Reads a <c>string</c> that must be printable US-ASCII, as <see cref="SshReader.ReadAsciiString"/>
    /// does. A name over <see cref="MaxNameLength"/> bytes comes back as its first
    /// <see cref="MaxQuoted"/> characters followed by <c>...</c>, which matches no real name.
    /// </summary>
    public static string ReadName(ref SshReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.ReadString();
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                throw new SshFormatException("string contains a byte outside printable US-ASCII");
            }
        }

        return bytes.Length <= MaxNameLength ? Encoding.ASCII.GetString(bytes) : Encoding.ASCII.GetString(bytes[..MaxQuoted]) + "...";
    }

    /// <summary><paramref name="name"/> shortened to <see cref="MaxQuoted"/> characters (plus <c>...</c>) for a reply or a log line.</summary>
    public static string Quote(string name) => name.Length <= MaxQuoted ? name : string.Concat(name.AsSpan(0, MaxQuoted), "...");
}

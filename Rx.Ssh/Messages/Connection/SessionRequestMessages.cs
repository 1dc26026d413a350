using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.Connection;

/// <summary>
/// The type-specific data of the session channel requests of RFC 4254 section 6 (and RFC 4335's
/// break), written and read the same way by both roles. Writers append to a CHANNEL_REQUEST
/// being built; readers take the request's data. Wire layouts are in the comments.
/// </summary>
internal static class SessionRequestMessages
{
    public const string ExitStatus = "exit-status";
    public const string ExitSignal = "exit-signal";
    public const string Signal = "signal";
    public const string Break = "break";
    public const string WindowChange = "window-change";

    // uint32 exit_status
    public static void WriteExitStatus(SshWriter w, int status) => w.WriteUInt32((uint)status);

    /// <summary>The status, or null when the data is too short (a malformed exit-status is ignored, as OpenSSH does).</summary>
    public static int? ReadExitStatus(ReadOnlySpan<byte> data) => data.Length >= 4 ? (int)new SshReader(data).ReadUInt32() : null;

    // string signal name (without the "SIG" prefix), boolean core dumped, string error message (UTF-8), string language tag
    public static void WriteExitSignal(SshWriter w, string signal, bool coreDumped, string message)
    {
        w.WriteString(signal);
        w.WriteBoolean(coreDumped);
        w.WriteString(message);
        w.WriteString(string.Empty);
    }

    /// <summary>The signal, or null when the data is malformed. The message and language tag may be missing (old servers).</summary>
    public static ExitSignalData? ReadExitSignal(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new SshReader(data);
            string signal = r.ReadAsciiString();
            bool core = r.ReadBoolean();
            string message = r.Remaining > 0 ? r.ReadUtf8String() : string.Empty;
            return new ExitSignalData(signal, core, message);
        }
        catch (SshFormatException)
        {
            return null;
        }
    }

    // string signal name (without the "SIG" prefix)
    public static void WriteSignal(SshWriter w, string signal) => w.WriteString(signal);

    public static string ReadSignal(ReadOnlySpan<byte> data) => new SshReader(data).ReadAsciiString();

    // uint32 break length in milliseconds
    public static void WriteBreak(SshWriter w, int milliseconds) => w.WriteUInt32((uint)milliseconds);

    public static int ReadBreak(ReadOnlySpan<byte> data) => (int)Math.Min(new SshReader(data).ReadUInt32(), int.MaxValue);

    // uint32 terminal width (columns), uint32 terminal height (rows), uint32 width (pixels), uint32 height (pixels)
    public static void WriteWindowChange(SshWriter w, int columns, int rows, int pixelWidth, int pixelHeight)
    {
        w.WriteUInt32((uint)columns);
        w.WriteUInt32((uint)rows);
        w.WriteUInt32((uint)pixelWidth);
        w.WriteUInt32((uint)pixelHeight);
    }
}

/// <summary>An exit-signal request's fields.</summary>
internal readonly record struct ExitSignalData(string Signal, bool CoreDumped, string Message);

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rx.Ssh.Trust;

/// <summary>
/// Whether a path names a regular file, asked before opening it: opening a FIFO blocks until a
/// writer comes, and a device such as <c>/dev/zero</c> never ends. .NET has no public API for the
/// file type, so on Unix this asks the runtime's own native shim (<c>SystemNative_Stat</c>, shipped
/// with every .NET runtime), whose status record starts with flags then the mode.
/// </summary>
internal static partial class FileKind
{
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>True for a regular file (symbolic links followed); false for anything else. Null when the type cannot be told.</summary>
    public static bool? IsRegularFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return (File.GetAttributes(path) & (FileAttributes.Directory | FileAttributes.Device)) == 0;
        }

        Span<byte> status = stackalloc byte[512]; // larger than the runtime's FileStatus record
        try
        {
            if (Stat(path, ref MemoryMarshal.GetReference(status)) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        int mode = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(status[4..]);
        if (!BitConverter.IsLittleEndian)
        {
            mode = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mode);
        }

        return (mode & TypeMask) == RegularFile;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int Stat(string path, ref byte status);
}

using System.Runtime.InteropServices;

namespace Rx.Ssh.Config;

/// <summary>The one libc call the configuration needs: the real user id for <c>%i</c>.</summary>
internal static partial class ConfigNative
{
    /// <summary>The process's real user id (0 where there is no libc, e.g. Windows).</summary>
    public static uint UserId() => OperatingSystem.IsWindows() ? 0 : getuid();

    [LibraryImport("libc")]
    private static partial uint getuid();
}

using System.Runtime.CompilerServices;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The suite never reads the machine's OpenSSH client configuration (~/.ssh/config,
/// /etc/ssh/ssh_config: tests run as root on machines that may have either): before any test runs,
/// <see cref="SshConfig.Default"/> is pointed at no file, so every connect that leaves
/// <see cref="SshClientOptions.Config"/> at its default (in-process samples and the tour included)
/// behaves as if no configuration existed. Tests of the configuration pass theirs explicitly.
/// </summary>
internal static class MachineConfigIsolation
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: the isolation must hold before any test.")]
    internal static void Initialize() => SshConfig.DefaultFiles = () => [];
}

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The Dropbear and PuTTY programs the interop tests drive, and the user keys converted to their
/// formats (once per test run). build/test.sh installs them from Debian (<c>dropbear-bin</c>,
/// <c>putty-tools</c>, <c>libnss-wrapper</c>); a test needing one that is missing fails, it never skips.
/// </summary>
internal static class InteropTools
{
    /// <summary>Dropbear's client.</summary>
    public const string Dbclient = "/usr/bin/dbclient";

    /// <summary>Dropbear's server.</summary>
    public const string Dropbear = "/usr/sbin/dropbear";

    /// <summary>Dropbear's key generator.</summary>
    public const string Dropbearkey = "/usr/bin/dropbearkey";

    /// <summary>Dropbear's key converter (OpenSSH to Dropbear format).</summary>
    public const string Dropbearconvert = "/usr/bin/dropbearconvert";

    /// <summary>PuTTY's command-line client.</summary>
    public const string Plink = "/usr/bin/plink";

    /// <summary>PuTTY's key generator and converter.</summary>
    public const string Puttygen = "/usr/bin/puttygen";

    /// <summary>cwrap's nss_wrapper: gives the dropbear server a passwd entry whose home is the test's directory.</summary>
    public const string NssWrapper = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, string> Converted = new(StringComparer.Ordinal);
    private static string? _directory;

    /// <summary>Fails the test (with how to fix it) when <paramref name="path"/> is not installed.</summary>
    /// <param name="path">One of the paths above.</param>
    /// <param name="package">The Debian package that provides it.</param>
    public static void Require(string path, string package) =>
        Assert.True(File.Exists(path), $"{path} is missing: install the Debian package {package} (build/test.sh does).");

    /// <summary>Fails the test unless every Dropbear program is installed.</summary>
    public static void RequireDropbear()
    {
        foreach (string tool in new[] { Dbclient, Dropbear, Dropbearkey, Dropbearconvert })
        {
            Require(tool, "dropbear-bin");
        }
    }

    /// <summary>Fails the test unless plink and puttygen are installed.</summary>
    public static void RequirePutty()
    {
        Require(Plink, "putty-tools");
        Require(Puttygen, "putty-tools");
    }

    /// <summary><paramref name="key"/>'s private key in Dropbear's format, converted by dropbearconvert.</summary>
    /// <param name="key">An unencrypted test key.</param>
    public static Task<string> DropbearKeyAsync(TestKey key)
    {
        RequireDropbear();
        return ConvertAsync(key, ".dropbear", Dropbearconvert, path => ["openssh", "dropbear", key.PrivateKeyPath, path]);
    }

    /// <summary><paramref name="key"/>'s private key as a PuTTY .ppk file, converted by puttygen.</summary>
    /// <param name="key">An unencrypted test key.</param>
    public static Task<string> PuttyKeyAsync(TestKey key)
    {
        RequirePutty();
        return ConvertAsync(key, ".ppk", Puttygen, path => [key.PrivateKeyPath, "-O", "private", "-o", path]);
    }

    private static async Task<string> ConvertAsync(TestKey key, string suffix, string tool, Func<string, string[]> arguments)
    {
        string path;
        lock (Gate)
        {
            if (_directory is null)
            {
                string directory = Directory.CreateTempSubdirectory("rxssh-converted-").FullName;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => KeyCache.TryDelete(directory);
                _directory = directory;
            }

            path = Path.Combine(_directory, Path.GetFileName(key.PrivateKeyPath) + suffix);
            if (Converted.TryGetValue(path, out string? done))
            {
                return done;
            }
        }

        // Two tests converting the same key at once write the same bytes to a temporary name each.
        string temporary = path + "." + Guid.NewGuid().ToString("N");
        ProcessResult result = await ProcessRunner.RunAsync(tool, arguments(temporary), timeout: TestTimeout.Long);
        Assert.True(result.ExitCode == 0, $"{tool} failed for {key}: {result}");
        File.Move(temporary, path, overwrite: true);
        lock (Gate)
        {
            Converted[path] = path;
        }

        return path;
    }
}

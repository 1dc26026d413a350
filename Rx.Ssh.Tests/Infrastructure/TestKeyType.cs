namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>The key types the tests make with <c>ssh-keygen</c>.</summary>
public enum TestKeyType
{
    /// <summary><c>ssh-ed25519</c>.</summary>
    Ed25519,

    /// <summary><c>ecdsa-sha2-nistp256</c>.</summary>
    Ecdsa256,

    /// <summary><c>ecdsa-sha2-nistp384</c>.</summary>
    Ecdsa384,

    /// <summary><c>ecdsa-sha2-nistp521</c>.</summary>
    Ecdsa521,

    /// <summary><c>ssh-rsa</c>, 2048 bits.</summary>
    Rsa2048,
}

/// <summary>Facts about <see cref="TestKeyType"/> values.</summary>
public static class TestKeyTypeExtensions
{
    /// <summary>The key type name as it appears in public key lines (<c>ssh-ed25519</c>, ...).</summary>
    /// <param name="type">The key type.</param>
    public static string SshName(this TestKeyType type) => type switch
    {
        TestKeyType.Ed25519 => "ssh-ed25519",
        TestKeyType.Ecdsa256 => "ecdsa-sha2-nistp256",
        TestKeyType.Ecdsa384 => "ecdsa-sha2-nistp384",
        TestKeyType.Ecdsa521 => "ecdsa-sha2-nistp521",
        TestKeyType.Rsa2048 => "ssh-rsa",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The <c>ssh-keygen -t T -b B</c> arguments for this type.</summary>
    /// <param name="type">The key type.</param>
    internal static string[] KeygenArguments(this TestKeyType type) => type switch
    {
        TestKeyType.Ed25519 => ["-t", "ed25519"],
        TestKeyType.Ecdsa256 => ["-t", "ecdsa", "-b", "256"],
        TestKeyType.Ecdsa384 => ["-t", "ecdsa", "-b", "384"],
        TestKeyType.Ecdsa521 => ["-t", "ecdsa", "-b", "521"],
        TestKeyType.Rsa2048 => ["-t", "rsa", "-b", "2048"],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

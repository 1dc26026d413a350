namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>Host keys for <see cref="SshdServer"/>, made once per test run with <c>ssh-keygen</c>.</summary>
public static class HostKeys
{
    private static readonly KeyCache Cache = new("rxssh-hostkeys-");

    private static readonly Lazy<IReadOnlyList<TestKey>> DefaultKeys = new(
        () => Cache.GetAll(
        [
            ("ssh_host_ed25519_key", TestKeyType.Ed25519, null),
            ("ssh_host_ecdsa256_key", TestKeyType.Ecdsa256, null),
            ("ssh_host_rsa2048_key", TestKeyType.Rsa2048, null),
        ]),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The ed25519, ecdsa-256 and rsa-2048 host keys, in that order (sshd's default set).</summary>
    public static IReadOnlyList<TestKey> Default => DefaultKeys.Value;

    /// <summary>The host key of <paramref name="type"/> (any <see cref="TestKeyType"/>; others than the default three are made on first use).</summary>
    /// <param name="type">The key type.</param>
    public static TestKey Get(TestKeyType type) =>
        Default.FirstOrDefault(k => k.Type == type)
        ?? Cache.Get("ssh_host_" + type.ToString().ToLowerInvariant() + "_key", type);
}

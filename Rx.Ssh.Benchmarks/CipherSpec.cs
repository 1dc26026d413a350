/// <summary>A cipher as the benchmarks name it: <c>cipher</c>, or <c>cipher+mac</c> for a cipher that needs a MAC.</summary>
internal static class CipherSpec
{
    public const string DefaultKex = "curve25519-sha256";

    public static (string Cipher, string? Mac) Split(string spec)
    {
        int plus = spec.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (spec, null) : (spec[..plus], spec[(plus + 1)..]);
    }
}

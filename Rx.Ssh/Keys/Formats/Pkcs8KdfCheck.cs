using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Misc;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BcInteger = Org.BouncyCastle.Math.BigInteger;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// Checks the key derivation cost an <c>ENCRYPTED PRIVATE KEY</c> (PKCS#8, RFC 5958) asks for
/// against <see cref="SshKeyLoadLimits"/> before anything is derived: PBES2 with PBKDF2 (RFC 8018)
/// or scrypt (RFC 7914), PBES1 and the PKCS#12 schemes (iteration counts).
/// </summary>
internal static class Pkcs8KdfCheck
{
    private const string Pbes1Prefix = "1.2.840.113549.1.5.";
    private const string Pkcs12PbePrefix = "1.2.840.113549.1.12.1.";

    /// <exception cref="SshKeyLimitException">A parameter is over its limit.</exception>
    /// <exception cref="ArgumentException">The parameters are malformed (from the ASN.1 decoder).</exception>
    public static void Check(EncryptedPrivateKeyInfo info, SshKeyLoadLimits limits)
    {
        AlgorithmIdentifier algorithm = info.EncryptionAlgorithm;
        string oid = algorithm.Algorithm.Id;
        if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
        {
            PbeS2Parameters pbes2 = PbeS2Parameters.GetInstance(algorithm.Parameters);
            CheckKdf(pbes2.KeyDerivationFunc.Algorithm, pbes2.KeyDerivationFunc.Parameters, limits);
        }
        else if (oid.StartsWith(Pbes1Prefix, StringComparison.Ordinal))
        {
            CheckIterations(PbeParameter.GetInstance(algorithm.Parameters).IterationCount, limits);
        }
        else if (oid.StartsWith(Pkcs12PbePrefix, StringComparison.Ordinal))
        {
            CheckIterations(Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations, limits);
        }
    }

    private static void CheckKdf(DerObjectIdentifier kdf, Asn1Encodable parameters, SshKeyLoadLimits limits)
    {
        if (kdf.Equals(PkcsObjectIdentifiers.IdPbkdf2))
        {
            CheckIterations(Pbkdf2Params.GetInstance(parameters).IterationCount, limits);
        }
        else if (kdf.Equals(MiscObjectIdentifiers.id_scrypt))
        {
            ScryptParams scrypt = ScryptParams.GetInstance(parameters);
            long n = Clamp(scrypt.CostParameter.Value), r = Clamp(scrypt.BlockSize.Value), p = Clamp(scrypt.ParallelizationParameter.Value);
            long memoryKiB = Math.Max(n * r / 8, 1); // 128 * N * r bytes; n and r are at most 2^31
            SshKeyLoadLimits.Check("KiB of scrypt memory", memoryKiB, limits.MaxScryptMemoryKiB, nameof(limits.MaxScryptMemoryKiB));
            SshKeyLoadLimits.Check("scrypt parallel passes", p, limits.MaxScryptParallelism, nameof(limits.MaxScryptParallelism));
        }
    }

    private static void CheckIterations(BcInteger iterations, SshKeyLoadLimits limits) =>
        SshKeyLoadLimits.Check("PBKDF2 iterations", Clamp(iterations), limits.MaxPbkdf2Iterations, nameof(limits.MaxPbkdf2Iterations));

    /// <summary>The value as a long, saturating at 2^31 (every limit is an int), 0 for negatives.</summary>
    private static long Clamp(BcInteger value) =>
        value.SignValue < 0 ? 0 : value.BitLength > 31 ? 1L << 31 : value.LongValue;
}

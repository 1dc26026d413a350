using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rx.Ssh.Algorithms.Native;

/// <summary>libsodium's Argon2 (<c>crypto_pwhash</c>): one lane, 16-byte salt, Argon2i and Argon2id v1.3.</summary>
internal static unsafe partial class Libsodium
{
    /// <summary><c>crypto_pwhash_ALG_ARGON2I13</c>.</summary>
    internal const int PwhashArgon2i13 = 1;

    /// <summary><c>crypto_pwhash_ALG_ARGON2ID13</c>.</summary>
    internal const int PwhashArgon2id13 = 2;

    /// <summary><c>crypto_pwhash_SALTBYTES</c>.</summary>
    internal const int PwhashSaltBytes = 16;

    /// <summary>Argon2 of <paramref name="passwd"/>: 0 on success, -1 when a limit is out of range or memory runs out.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_pwhash(
        byte* @out, ulong outlen, byte* passwd, ulong passwdlen, byte* salt, ulong opslimit, nuint memlimit, int alg);
}

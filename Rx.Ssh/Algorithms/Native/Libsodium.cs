using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rx.Ssh.Algorithms.Native;

/// <summary>
/// The few libsodium primitives the packet ciphers need, bound by P/Invoke to the native
/// library that NSec's <c>libsodium</c> package ships. <see cref="EnsureInitialized"/> runs
/// <c>sodium_init</c> once per process.
/// </summary>
internal static unsafe partial class Libsodium
{
    private const string LibraryName = "libsodium";

    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the native library loads and initialises on this platform.</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                return Initialized.Value;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>Runs <c>sodium_init</c> once; throws when the library is missing or refuses to start.</summary>
    public static void EnsureInitialized()
    {
        if (!Initialized.Value)
        {
            throw new InvalidOperationException("libsodium failed to initialise (sodium_init returned -1).");
        }
    }

    private static bool Initialize() => sodium_init() >= 0;

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sodium_init();

    /// <summary>ChaCha20 (original, 64-bit nonce and 64-bit block counter) XOR; <paramref name="c"/> may equal <paramref name="m"/>.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_stream_chacha20_xor_ic(byte* c, byte* m, ulong mlen, byte* n, ulong ic, byte* k);

    /// <summary>Writes <paramref name="clen"/> bytes of ChaCha20 keystream starting at block 0.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_stream_chacha20(byte* c, ulong clen, byte* n, byte* k);

    /// <summary>Poly1305 one-time authenticator (16-byte tag, 32-byte key).</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_onetimeauth_poly1305(byte* @out, byte* @in, ulong inlen, byte* k);

    /// <summary>Constant-time Poly1305 verification: 0 when the tag matches, -1 otherwise.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_onetimeauth_poly1305_verify(byte* h, byte* @in, ulong inlen, byte* k);
}

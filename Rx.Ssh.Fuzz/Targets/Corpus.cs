namespace Rx.Ssh.Fuzz.Targets;

/// <summary>The captured inputs in <c>Corpus/</c> (copied next to the program).</summary>
internal static class Corpus
{
    /// <summary>The bytes of one corpus file.</summary>
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", name));
}

using System.Text;

namespace Rx.Ssh.Fuzz.Engine;

/// <summary>One parser of untrusted bytes under test: the inputs it starts from, how to feed it one, and which errors it documents.</summary>
internal abstract class FuzzTarget
{
    /// <summary>The name <c>--target</c> selects and saved failures carry.</summary>
    public abstract string Name { get; }

    /// <summary>Valid inputs (real captures or generated) the mutations start from; at least one.</summary>
    public abstract IEnumerable<byte[]> Seeds();

    /// <summary>Tokens worth inserting (keywords, markers); none by default.</summary>
    public virtual IReadOnlyList<byte[]> Dictionary => [];

    /// <summary>Feeds one input. Returns, or throws one of the documented errors (<see cref="IsExpected"/>); anything else is a failure.</summary>
    public abstract void Run(byte[] input);

    /// <summary>Whether <paramref name="error"/> is one the parser documents for bad input. Default: the library's <see cref="SshException"/> family.</summary>
    public virtual bool IsExpected(Exception error) => error is SshException;

    /// <summary>The input as text (invalid UTF-8 replaced), for the text formats.</summary>
    protected static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    /// <summary>Text as bytes, for seeds.</summary>
    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Tokens as UTF-8 byte arrays.</summary>
    protected static IReadOnlyList<byte[]> Tokens(params string[] tokens) => [.. tokens.Select(Bytes)];
}

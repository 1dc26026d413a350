namespace Rx.Ssh.Samples.Serve;

/// <summary>serve's log: one line per connection and per session, written whole (callers run on many threads).</summary>
internal sealed class ServeLog(TextWriter writer)
{
    private readonly Lock _gate = new();

    /// <summary>Writes <paramref name="text"/> as one time-stamped line.</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            writer.WriteLine($"{DateTime.Now:HH:mm:ss} {text}");
            writer.Flush();
        }
    }

    /// <summary>A duration for the log.</summary>
    public static string Duration(TimeSpan elapsed) => $"{elapsed.TotalSeconds:0.00}s";
}

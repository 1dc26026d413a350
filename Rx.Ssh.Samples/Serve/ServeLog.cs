using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// serve's log, through Microsoft.Extensions.Logging: one Information entry per connection, per
/// session and per forward, category <see cref="Category"/>. The <c>serve</c> command sends it to the console logger,
/// one line each; tests plug in their own provider.
/// </summary>
internal sealed class ServeLog(ILogger logger)
{
    /// <summary>The category of serve's own entries; the library's are under <see cref="LibraryCategory"/>.</summary>
    public const string Category = "serve";

    /// <summary>The category the library's own diagnostics are logged under.</summary>
    public const string LibraryCategory = "Rx.Ssh";

    /// <summary>
    /// The console logger the <c>serve</c> command logs to: one line per entry, time-stamped; serve's own
    /// entries from Information, the library's from Warning (its Information entries repeat serve's lines).
    /// </summary>
    public static ILoggerFactory CreateConsole() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter(LibraryCategory, LogLevel.Warning)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        }));

    /// <summary>A session ended: who ran what and how it ended.</summary>
    public void Session(string who, string what, string how) =>
        logger.LogInformation("session {Who} {What}: {How}", who, what, how);

    /// <summary>A forwarded channel ended: who, what it reached (and from where), bytes each way, how it ended.</summary>
    public void Forward(string who, SshForwardEnded forward) =>
        logger.LogInformation(
            "forward {Who} {Type} {Target}{From}: {In} bytes in, {Out} bytes out, {How}",
            who,
            forward.ChannelType,
            forward.Target,
            forward.Originator.Length == 0 ? string.Empty : " from " + forward.Originator,
            forward.BytesFromClient,
            forward.BytesToClient,
            forward.Error is null ? "closed" : "failed: " + forward.Error.Message);

    /// <summary>An authenticated connection ended.</summary>
    public void Connection(string who, string clientVersion, int sessions, string how, TimeSpan elapsed) =>
        logger.LogInformation("connection {Who} ({ClientVersion}): {Sessions} session(s), {How} after {Elapsed}", who, clientVersion, sessions, how, Duration(elapsed));

    /// <summary>A connection that never authenticated ended: from where, as whom (if it got that far), why.</summary>
    public void Unauthenticated(string from, string? user, string why, TimeSpan elapsed)
    {
        if (user is null)
        {
            logger.LogWarning("connection from {From}: not authenticated, {Why} after {Elapsed}", from, why, Duration(elapsed));
        }
        else
        {
            logger.LogWarning("connection from {From}: login as {User} refused, {Why} after {Elapsed}", from, user, why, Duration(elapsed));
        }
    }

    /// <summary>A duration for the log.</summary>
    public static string Duration(TimeSpan elapsed) => $"{elapsed.TotalSeconds:0.00}s";
}

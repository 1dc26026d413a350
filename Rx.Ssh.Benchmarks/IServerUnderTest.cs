/// <summary>
/// An SSH server the benchmark started on 127.0.0.1 and a free port, with the host key and
/// authorized_keys of <see cref="Keys"/>; disposing stops it by its own process id.
/// </summary>
internal interface IServerUnderTest : IAsyncDisposable
{
    /// <summary>Short name for tables ("sshd", "serve").</summary>
    string Name { get; }

    int Port { get; }

    int ProcessId { get; }

    BenchKeys Keys { get; }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The listening side of a call home for OpenSSH's <c>ssh</c>, which can only dial: a
/// <c>ProxyCommand</c> (a small Perl bridge, like <c>nc -l</c>) that listens on a free loopback port,
/// accepts the one connection the calling SSH server opens and joins it to ssh's stdin and stdout.
/// It tells the test its port by connecting to <see cref="ControlPort"/> and writing it, so the test
/// dials only once the bridge listens (no polling, no port race). Dispose stops the control listener.
/// </summary>
internal sealed class CallHomeBridge : IDisposable
{
    /// <summary>
    /// Listen on 127.0.0.1:0, report the port to the control port given as the argument, accept one
    /// connection, then copy both ways; ssh's EOF half-closes the socket, the socket's EOF ends the bridge.
    /// </summary>
    private const string Script = """
        use strict; use warnings; use IO::Socket::INET; use IO::Select;
        my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1, Proto => 'tcp') or die "bridge: listen: $!\n";
        my $control = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $ARGV[0], Proto => 'tcp') or die "bridge: control: $!\n";
        print $control $listener->sockport, "\n"; close $control;
        my $peer = $listener->accept or die "bridge: accept: $!\n"; close $listener;
        binmode STDIN; binmode STDOUT; binmode $peer;
        my $select = IO::Select->new(\*STDIN, $peer);
        sub put { my ($fh, $data) = @_; while (length $data) { my $n = syswrite($fh, $data); die "bridge: write: $!\n" unless defined $n; substr($data, 0, $n) = ''; } }
        while (my @ready = $select->can_read) {
          for my $h (@ready) {
            my $n = sysread($h, my $buffer, 65536);
            my $fromPeer = fileno($h) == fileno($peer);
            if (!$n) { exit 0 if $fromPeer; $select->remove($h); shutdown($peer, 1); next; }
            put($fromPeer ? \*STDOUT : $peer, $buffer);
          }
        }
        """;

    private static readonly Lazy<string> ScriptPath = new(() =>
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-bridge-").FullName;
        string path = Path.Combine(directory, "call-home-bridge.pl");
        File.WriteAllText(path, Script);
        return path;
    });

    private readonly TcpListener _control = new(IPAddress.Loopback, 0);

    public CallHomeBridge() => _control.Start();

    /// <summary>Where the bridge reports its port.</summary>
    public int ControlPort => ((IPEndPoint)_control.LocalEndpoint).Port;

    /// <summary>The <c>ProxyCommand</c> option for ssh.</summary>
    public string ProxyCommandOption => $"ProxyCommand=perl {ScriptPath.Value} {ControlPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Waits until the bridge listens and returns its port; fails with ssh's output if ssh ends first.</summary>
    public async Task<int> WaitForPortAsync(Task<ProcessResult> ssh)
    {
        Task<Socket> accepted = _control.AcceptSocketAsync();
        if (await Task.WhenAny(accepted, ssh).WithTimeout() == ssh)
        {
            throw new InvalidOperationException("ssh ended before its ProxyCommand listened: " + await ssh);
        }

        using Socket control = await accepted;
        var text = new StringBuilder();
        byte[] buffer = new byte[16];
        int n;
        while ((n = await control.ReceiveAsync(buffer.AsMemory()).AsTask().WithTimeout()) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return int.Parse(text.ToString().Trim(), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _control.Stop();
}

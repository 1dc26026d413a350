using System.Globalization;

namespace Rx.Ssh.Samples.Servers;

/// <summary>callback_math_server: math_server written with SshServerHandler and SshServerSession callbacks.</summary>
internal sealed class CallbackMathServer : ISample
{
    public string Name => "callback_math_server";

    public string Description => "math_server written with handler and session callbacks.";

    public async Task<int> RunAsync(SampleContext context)
    {
        if (ServerSample.LoadAuthorizedKeys(context, "ssh_user_ca") is not { } userCa)
        {
            return 1;
        }

        return await ServerSample.ListenAsync(context, new SshServerOptions
        {
            AuthorizedKeys = _ => userCa,
            HandlerFactory = () => new Handler(),
        });
    }

    private sealed class Handler : SshServerHandler
    {
        public override SshServerSession SessionRequested(SshServerConnection connection) => new MathSession();
    }

    private sealed class MathSession : SshServerSession
    {
        private string _input = string.Empty;
        private long _total;

        public override bool ShellRequested() => true;

        public override bool ExecRequested(string command) => true;

        public override void SessionStarted() => Channel.Write("Enter numbers one per line, or EOF when done:\n");

        public override void DataReceived(string data)
        {
            string[] lines = (_input + data).Split('\n');
            foreach (string line in lines[..^1])
            {
                string number = line.TrimEnd('\r');
                if (long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                {
                    _total += value;
                }
                else if (number.Length > 0)
                {
                    Channel.WriteStderr($"Invalid number: {number}\n");
                }
            }

            _input = lines[^1];
        }

        public override void EofReceived()
        {
            if (_input.Length > 0)
            {
                DataReceived("\n"); // a last line without newline still counts
            }

            Channel.Write($"Total = {_total}\n");
            Channel.Exit(0);
        }

        public override bool BreakReceived(int milliseconds)
        {
            EofReceived();
            return true;
        }
    }
}

using System.Reactive.Subjects;

namespace Rx.Ssh.Samples.Servers;

/// <summary>chat_server: many clients in one room; each line a client types is broadcast to the others.</summary>
internal sealed class ChatServer : ISample
{
    public string Name => "chat_server";

    public string Description => "A chat room: every line a client sends goes to all the others.";

    public async Task<int> RunAsync(SampleContext context)
    {
        if (ServerSample.LoadAuthorizedKeys(context, "ssh_user_ca") is not { } userCa)
        {
            return 1;
        }

        var room = new ChatRoom();
        return await ServerSample.ListenAsync(context, new SshServerOptions
        {
            AuthorizedKeys = _ => userCa,
            ProcessHandler = process => room.JoinAsync(process),
        });
    }

    /// <summary>The room: one stream of messages, each tagged with its sender, that every member subscribes to.</summary>
    private sealed class ChatRoom
    {
        private readonly ISubject<(object From, string Text)> _messages = Subject.Synchronize(new Subject<(object, string)>());
        private int _members;

        public async Task JoinAsync(SshServerProcess process)
        {
            await process.Stdout.WriteAsync("Welcome to chat!\n\nEnter your name: ");
            if (await process.Stdin.ReadLineAsync() is not { } name)
            {
                return;
            }

            var me = new object();
            using (_messages.Where(m => m.From != me).Subscribe(m => Deliver(process, m.Text)))
            {
                int others = Interlocked.Increment(ref _members) - 1;
                _messages.OnNext((me, $"*** {name} has entered chat ***\n"));
                try
                {
                    await process.Stdout.WriteAsync($"\n{others} other users are connected.\n\n");
                    await process.Stdin.Lines
                        .TakeUntil(process.Breaks)
                        .ForEachAsync(line => _messages.OnNext((me, $"{name}: {line}\n")));
                }
                finally
                {
                    Interlocked.Decrement(ref _members);
                    _messages.OnNext((me, $"*** {name} has left chat ***\n"));
                }
            }
        }

        private static void Deliver(SshServerProcess process, string text)
        {
            try
            {
                process.Stdout.Write(text);
            }
            catch (SshException)
            {
                // This member is gone or far behind; the others still get the message.
            }
        }
    }
}

using Rx.Ssh.Cli;

return await RxsshCommand.Build(new RxConsole()).Parse(args).InvokeAsync();

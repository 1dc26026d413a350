using Rx.Ssh.Samples;

return await CommandLine.Build(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(string? name, SampleContext context)
{
    switch (name)
    {
        case null:
            return await Tour.RunAsync(context);
        case "list":
            foreach (ISample sample in SampleCatalog.All)
            {
                Console.WriteLine($"{sample.Name,-28} {sample.Description}");
            }

            return 0;
        default:
            ISample? found = SampleCatalog.Find(name);
            if (found is null)
            {
                await Console.Error.WriteLineAsync($"Unknown sample '{name}'. Run 'list' to see the samples.");
                return 2;
            }

            return await found.RunAsync(context);
    }
}

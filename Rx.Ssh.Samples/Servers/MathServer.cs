using System.Globalization;

namespace Rx.Ssh.Samples.Servers;

/// <summary>math_server: sum the numbers the client sends, one per line, until EOF or a break.</summary>
internal sealed class MathServer : ISample
{
    public string Name => "math_server";

    public string Description => "Add up numbers sent one per line; print the total at EOF or break.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, HandleClientAsync);

    private static async Task HandleClientAsync(SshServerProcess process)
    {
        await process.Stdout.WriteAsync("Enter numbers one per line, or EOF when done:\n");
        long total = await process.Stdin.Lines
            .TakeUntil(process.Breaks)
            .Where(line => line.Length > 0)
            .Select(line => long.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) ? number : Invalid(line))
            .Sum();
        await process.Stdout.WriteAsync($"Total = {total}\n");

        long Invalid(string line)
        {
            process.Stderr.Write($"Invalid number: {line}\n");
            return 0;
        }
    }
}

using Rx.Ssh.Fuzz.Engine;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>A target made of its parts: for the many parsers whose whole harness is one call.</summary>
internal sealed class DelegateTarget(
    string name,
    Func<IEnumerable<byte[]>> seeds,
    Action<byte[]> run,
    IReadOnlyList<byte[]>? dictionary = null,
    Func<Exception, bool>? expected = null) : FuzzTarget
{
    public override string Name => name;

    public override IReadOnlyList<byte[]> Dictionary => dictionary ?? [];

    public override IEnumerable<byte[]> Seeds() => seeds();

    public override void Run(byte[] input) => run(input);

    public override bool IsExpected(Exception error) => expected?.Invoke(error) ?? base.IsExpected(error);
}

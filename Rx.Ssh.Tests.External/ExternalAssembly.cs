namespace Rx.Ssh.Tests.External;

/// <summary>Marker for the assembly that exercises Rx.Ssh's extension seams from outside the library.</summary>
public static class ExternalAssembly
{
    /// <summary>The assembly's name, for tests that check they run code from here.</summary>
    public static string Name => typeof(ExternalAssembly).Assembly.GetName().Name!;
}

using Xunit.Abstractions;

namespace Rx.Ssh.Tests.Architecture;

/// <summary>
/// Keeps the folders of Rx.Ssh layered (no folder depends, directly or through others, on a folder
/// that depends on it) and the namespace rule (public types in Rx.Ssh or Rx.Ssh.Testing, internal
/// ones in their folder's namespace). The graph is built once, with Roslyn's semantic model.
/// </summary>
public sealed class LayerDependencyTests(ITestOutputHelper output)
{
    static readonly Lazy<FolderDependencyGraph> Graph = new(() =>
        FolderDependencyGraph.Analyze(
            FolderDependencyGraph.FindSourceRoot(AppContext.BaseDirectory),
            FolderDependencyGraph.ReferencesFromHost()));

    [Fact]
    public void The_model_binds_every_name_of_the_sources()
    {
        var graph = Graph.Value;
        // The only declaration errors allowed are the source-generated P/Invoke bodies (LibraryImport).
        var errors = graph.Errors.Where(e => e.Id != "CS8795").Select(e => e.ToString()).ToList();
        Assert.True(errors.Count == 0, "compilation errors:\n" + string.Join("\n", errors));
        Assert.True(graph.UnresolvedNames.Count == 0, "names not bound (edges possibly missed):\n" + string.Join("\n", graph.UnresolvedNames));
        Assert.Contains(("Transport", "Wire"), graph.Edges.Keys);
    }

    [Fact]
    public void Folders_have_no_dependency_cycle()
    {
        var graph = Graph.Value;
        output.WriteLine("bottom to top: " + string.Join(", ", graph.BottomUp()));
        var cycles = graph.Cycles();
        Assert.True(
            cycles.Count == 0,
            "folder dependency cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c)))
            + "\n\nedges:\n" + graph.Describe());
    }

    [Fact]
    public void Public_types_are_in_Rx_Ssh_and_internal_types_in_their_folder_namespace()
    {
        var problems = Graph.Value.NamespaceProblems;
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

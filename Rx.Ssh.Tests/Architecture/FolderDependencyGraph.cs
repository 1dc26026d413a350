using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rx.Ssh.Tests.Architecture;

/// <summary>
/// The folder-level dependency graph of the Rx.Ssh sources, computed with Roslyn's semantic model:
/// every name in code (not in XML doc comments, which are trivia) is bound to its symbol, and the
/// folder of the file declaring that symbol's type is a dependency of the folder using it. A folder
/// is the top-level directory under Rx.Ssh/ (sub-folders count as their top folder).
/// </summary>
internal sealed class FolderDependencyGraph
{
    static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    FolderDependencyGraph(
        string root,
        SortedDictionary<(string From, string To), SortedSet<string>> edges,
        List<string> namespaceProblems,
        List<string> unresolvedNames,
        List<Diagnostic> errors)
    {
        Root = root;
        Edges = edges;
        NamespaceProblems = namespaceProblems;
        UnresolvedNames = unresolvedNames;
        Errors = errors;
    }

    /// <summary>The Rx.Ssh source directory analysed.</summary>
    public string Root { get; }

    /// <summary>Folder edges (from uses to), each with the "file: Type" pairs behind it.</summary>
    public SortedDictionary<(string From, string To), SortedSet<string>> Edges { get; }

    /// <summary>Types whose namespace breaks the rule (public: Rx.Ssh or Rx.Ssh.Testing; internal: the folder's).</summary>
    public List<string> NamespaceProblems { get; }

    /// <summary>Names of source types or members the model could not bind ("file:line: name"): each one a possibly missed edge.</summary>
    public List<string> UnresolvedNames { get; }

    /// <summary>Declaration errors (a sign the model could not bind everything).</summary>
    public List<Diagnostic> Errors { get; }

    /// <summary>Finds the Rx.Ssh source folder above <paramref name="start"/> (the repository holding RxSsh.sln).</summary>
    public static string FindSourceRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxSsh.sln")))
                return Path.Combine(dir.FullName, "Rx.Ssh");
        }
        throw new DirectoryNotFoundException($"no RxSsh.sln above {start}");
    }

    /// <summary>The runtime's assemblies and the packages Rx.Ssh references, from the running host.</summary>
    public static IEnumerable<MetadataReference> ReferencesFromHost()
    {
        string[] packages = ["System.Reactive.dll", "NSec.Cryptography.dll", "BouncyCastle.Cryptography.dll", "Microsoft.Extensions.Logging.Abstractions.dll"];
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        return paths
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                && (Path.GetDirectoryName(p) == framework || packages.Contains(Path.GetFileName(p), StringComparer.OrdinalIgnoreCase)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
    }

    /// <summary>Parses and binds every .cs file under <paramref name="root"/>.</summary>
    public static FolderDependencyGraph Analyze(string root, IEnumerable<MetadataReference> references)
    {
        root = Path.GetFullPath(root);
        var parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Parse)
            .WithPreprocessorSymbols("NET", "NET10_0", "NET10_0_OR_GREATER", "NET9_0_OR_GREATER", "NET8_0_OR_GREATER", "NETCOREAPP", "RELEASE");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(root, f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var trees = files
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), parse, "(implicit usings)"))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "Rx.Ssh",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        // Only names that a source type or member carries can bind to a source symbol; the rest
        // (locals, framework members) need not be looked up, which keeps the walk fast.
        var sourceNames = new HashSet<string>(StringComparer.Ordinal) { "var" };
        foreach (var type in AllTypes(compilation.Assembly.GlobalNamespace))
        {
            sourceNames.Add(type.Name);
            foreach (var member in type.GetMembers())
                sourceNames.Add(member.Name);
        }
        var edges = new SortedDictionary<(string, string), SortedSet<string>>();
        var problems = new List<string>();
        var unresolved = new List<string>();
        Parallel.ForEach(trees.Take(files.Count), tree =>
        {
            var model = compilation.GetSemanticModel(tree);
            var file = Path.GetRelativePath(root, tree.FilePath).Replace('\\', '/');
            var from = FolderOf(file);
            var rootNode = tree.GetRoot();
            var found = new List<((string, string) Edge, string Why)>();
            var missing = new List<string>();
            foreach (var node in rootNode.DescendantNodes())
            {
                if (node is SimpleNameSyntax name)
                {
                    if (!sourceNames.Contains(name.Identifier.ValueText))
                        continue;
                }
                else if (node is not BaseObjectCreationExpressionSyntax)
                {
                    continue;
                }
                var info = model.GetSymbolInfo(node);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null)
                {
                    if (node is SimpleNameSyntax { Parent: not (NameColonSyntax or NameEqualsSyntax) } unbound && model.GetTypeInfo(node).Type is null)
                        missing.Add($"{file}:{unbound.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {unbound.Identifier.ValueText}");
                    continue;
                }
                var type = DeclaringType(symbol);
                if (type is null)
                    continue;
                foreach (var reference in type.OriginalDefinition.DeclaringSyntaxReferences)
                {
                    var path = reference.SyntaxTree.FilePath;
                    if (!path.StartsWith(root, StringComparison.Ordinal))
                        continue;
                    var to = FolderOf(Path.GetRelativePath(root, path).Replace('\\', '/'));
                    if (to != from)
                        found.Add(((from, to), $"{file}: {type.Name}"));
                }
            }
            var wrong = new List<string>();
            foreach (var declaration in rootNode.DescendantNodes().OfType<MemberDeclarationSyntax>()
                .Where(d => d is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax))
            {
                if (model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol declared || declared.ContainingType is not null)
                    continue;
                var ns = declared.ContainingNamespace.ToDisplayString();
                var folderNs = "Rx.Ssh" + string.Concat(Path.GetDirectoryName(file)!.Split('/', '\\', StringSplitOptions.RemoveEmptyEntries).Select(p => "." + p));
                var isPublic = declared.DeclaredAccessibility == Accessibility.Public;
                var expected = isPublic ? (from == "Testing" ? "Rx.Ssh.Testing" : "Rx.Ssh") : folderNs;
                if (ns != expected)
                    wrong.Add($"{file}: {(isPublic ? "public" : "internal")} {declared.Name} is in {ns}, expected {expected}");
            }
            lock (edges)
            {
                foreach (var (edge, why) in found)
                {
                    if (!edges.TryGetValue(edge, out var reasons))
                        edges[edge] = reasons = new SortedSet<string>(StringComparer.Ordinal);
                    reasons.Add(why);
                }
                problems.AddRange(wrong);
                unresolved.AddRange(missing);
            }
        });
        problems.Sort(StringComparer.Ordinal);
        unresolved.Sort(StringComparer.Ordinal);
        var errors = compilation.GetDeclarationDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return new FolderDependencyGraph(root, edges, problems.Distinct().ToList(), unresolved, errors);
    }

    /// <summary>The strongly connected components with more than one folder (each one a cycle).</summary>
    public List<List<string>> Cycles()
    {
        var graph = Folders().ToDictionary(f => f, f => Edges.Keys.Where(e => e.From == f).Select(e => e.To).ToList());
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }
            if (low[v] != index[v])
                return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            }
            while (x != v);
            if (component.Count > 1)
                result.Add([.. component.Order(StringComparer.Ordinal)]);
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
                Visit(v);
        }
        return result;
    }

    /// <summary>Folders bottom to top (each after everything it uses); ties by name. Only meaningful without cycles.</summary>
    public List<string> BottomUp()
    {
        var remaining = Folders().ToHashSet();
        var order = new List<string>();
        while (remaining.Count > 0)
        {
            var ready = remaining
                .Where(f => !Edges.Keys.Any(e => e.From == f && remaining.Contains(e.To)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (ready.Count == 0)
            {
                order.AddRange(remaining.Order(StringComparer.Ordinal).Select(f => f + " (cycle)"));
                break;
            }
            var next = ready[0];
            order.Add(next);
            remaining.Remove(next);
        }
        return order;
    }

    /// <summary>Every edge with its evidence, one per line.</summary>
    public string Describe() =>
        string.Join("\n", Edges.Select(e => $"{e.Key.From} -> {e.Key.To}:\n    " + string.Join("\n    ", e.Value)));

    IEnumerable<string> Folders() =>
        Edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct();

    static string FolderOf(string relativePath)
    {
        var slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "(root)" : relativePath[..slash];
    }

    static bool IsBuildOutput(string root, string file)
    {
        var first = FolderOf(Path.GetRelativePath(root, file).Replace('\\', '/'));
        return first is "bin" or "obj";
    }

    static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol inner)
            {
                if (inner is INamedTypeSymbol type)
                    yield return type;
                foreach (var nested in AllTypes(inner))
                    yield return nested;
            }
        }
    }

    static INamedTypeSymbol? DeclaringType(ISymbol? symbol)
    {
        switch (symbol)
        {
            case null or INamespaceSymbol or ILocalSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol:
                return null;
            case INamedTypeSymbol named:
                return named;
            case IArrayTypeSymbol array:
                return DeclaringType(array.ElementType);
            case IPointerTypeSymbol pointer:
                return DeclaringType(pointer.PointedAtType);
            case ITypeParameterSymbol:
                return null;
            case IParameterSymbol:
                return null;
            case IMethodSymbol { ReducedFrom: { } reduced }:
                return reduced.ContainingType;
            case IAliasSymbol alias:
                return DeclaringType(alias.Target);
            default:
                return symbol.ContainingType;
        }
    }
}

using NetArchTest.Rules;
using Optio.Api.Core.Http;
using Optio.Domain.Tasks;
using Optio.Tests.Infrastructure;
using Optio.Projections;

namespace Optio.Tests.Architecture;

/// <summary>
/// The modules of Optio.Api, lowest first. A module may use those before it, never one after it:
/// Core knows no feature, Integrations know no task, and so on up to Notifications, which may use them all.
/// </summary>
public sealed class ModuleArrowsTests
{
    public static readonly string[] Modules = ["Core", "Integrations", "Repos", "Tasks", "Tickets", "PullRequests", "Notifications"];

    static readonly System.Reflection.Assembly Api = typeof(Problems).Assembly;

    public static TheoryData<string> EachModule() => [.. Modules];

    [Theory]
    [MemberData(nameof(EachModule))]
    public void A_module_uses_no_module_above_it(string module)
    {
        var above = Modules.SkipWhile(m => m != module).Skip(1).Select(m => $"Optio.Api.{m}").ToArray();
        if (above.Length == 0) return; // the top module may use every other
        var result = Types.InAssembly(Api).That().ResideInNamespace($"Optio.Api.{module}")
            .ShouldNot().HaveDependencyOnAny(above).GetResult();
        Assert.True(result.IsSuccessful,
            $"{module} must not use {string.Join(", ", above)}, but these types do: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    /// <summary>The compiled check sees only what is used; this one keeps the files honest too (no import pointing up).</summary>
    [Fact]
    public void No_source_file_imports_a_module_above_its_own()
    {
        var api = Path.Combine(RepositoryPaths.Root(), "Optio.Api");
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            var relative = Path.GetRelativePath(api, file);
            var own = Array.IndexOf(Modules, relative.Split(Path.DirectorySeparatorChar)[0]);
            if (own < 0) continue; // Program.cs: the host wires every module
            foreach (var line in File.ReadLines(file).Where(l => l.StartsWith("using Optio.Api.", StringComparison.Ordinal)))
            {
                var imported = Array.IndexOf(Modules, line["using Optio.Api.".Length..].TrimEnd(';').Split('.')[0]);
                if (imported > own) wrong.Add($"{relative}: {line}");
            }
        }
        Assert.True(wrong.Count == 0, $"Imports of a module above: {string.Join("; ", wrong)}");
    }

    [Fact]
    public void Core_uses_no_read_model()
    {
        var result = Types.InAssembly(Api).That().ResideInNamespace("Optio.Api.Core")
            .ShouldNot().HaveDependencyOn("Optio.Projections").GetResult();
        Assert.True(result.IsSuccessful, $"Core knows no feature's read model: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Every_type_of_the_api_lives_in_a_module()
    {
        var loose = Api.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith("Optio.Api", StringComparison.Ordinal))
            .Where(t => !Modules.Any(m => t.Namespace == $"Optio.Api.{m}" || t.Namespace!.StartsWith($"Optio.Api.{m}.", StringComparison.Ordinal)))
            .Select(t => t.FullName).ToList();
        Assert.True(loose.Count == 0, $"Types outside the modules: {string.Join(", ", loose)}");
    }

    [Fact]
    public void The_rule_sees_a_reference_when_there_is_one()
    {
        // Guards the rule above against passing vacuously: Tickets does use Tasks, and the check says so.
        var result = Types.InAssembly(Api).That().ResideInNamespace("Optio.Api.Tickets")
            .ShouldNot().HaveDependencyOn("Optio.Api.Tasks").GetResult();
        Assert.False(result.IsSuccessful);
    }

    [Fact]
    public void The_domain_references_only_the_base_class_library()
    {
        var domain = typeof(OptioTask).Assembly;
        var outside = domain.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n != "netstandard" && !n.StartsWith("System", StringComparison.Ordinal)).ToList();
        Assert.True(outside.Count == 0, $"Optio.Domain references {string.Join(", ", outside)}");

        var result = Types.InAssembly(domain).ShouldNot().HaveDependencyOnAny("Marten", "Wolverine", "JasperFx", "Microsoft.AspNetCore", "Npgsql", "Octokit", "Optio.Api", "Optio.Projections").GetResult();
        Assert.True(result.IsSuccessful, $"Domain types with outside dependencies: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Read_models_depend_on_the_domain_not_on_the_service()
    {
        var projections = typeof(MartenRegistration).Assembly;
        Assert.DoesNotContain(projections.GetReferencedAssemblies(), a => a.Name == "Optio.Api");
    }
}

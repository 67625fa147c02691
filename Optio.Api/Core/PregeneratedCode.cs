using JasperFx.CodeGeneration;
using Wolverine;

namespace Optio.Api.Core;

/// <summary>
/// A Release build compiles Wolverine's handler and endpoint code in (<c>PregenerateWolverineCode</c> in
/// Optio.Api.csproj: it runs <c>codegen write</c> on the built assembly and compiles again with the output). Such a build
/// loads that code and never loads Roslyn, which otherwise takes resident memory from ~170 to ~340 MiB at the first
/// request; any other build (Debug, the tests) generates the code at first use, so a new handler needs no extra step.
/// </summary>
public static class PregeneratedCode
{
    const string Registry = "Internal.Generated.WolverineHandlers.GeneratedHandlerRegistry";

    public static bool IsCompiledIn { get; } = typeof(PregeneratedCode).Assembly.GetType(Registry) is not null;

    /// <summary>
    /// Static when compiled in: generated from this very assembly, it cannot be stale, and a missing type fails loudly
    /// rather than compiling behind our back.
    /// </summary>
    public static void LoadPregeneratedCodeWhenCompiledIn(this WolverineOptions opts)
    {
        if (IsCompiledIn) opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
    }
}

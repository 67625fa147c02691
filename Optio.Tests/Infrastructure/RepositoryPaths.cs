namespace Optio.Tests.Infrastructure;

/// <summary>The repository and its projects' builds, from a test or benchmark binary inside it.</summary>
public static class RepositoryPaths
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The main assembly of <paramref name="project"/>, built in this binary's configuration.</summary>
    public static string Build(string project) => Path.Combine(Root(), project, "bin", Configuration, "net10.0", $"{project}.dll");

    public static string Root()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Optio.sln"))) return dir;
        throw new InvalidOperationException("Run from inside the Optio repository.");
    }
}

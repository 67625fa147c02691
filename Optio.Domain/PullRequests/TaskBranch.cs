namespace Optio.Domain.PullRequests;

/// <summary>The branch a runner pushes a task's work to, <c>optio/&lt;taskId&gt;</c>: how a pull request names its task.</summary>
public static class TaskBranch
{
    const string Prefix = "optio/";

    public static string For(Guid taskId) => $"{Prefix}{taskId}";

    public static bool TryParse(string? branch, out Guid taskId)
    {
        taskId = Guid.Empty;
        return branch is not null && branch.StartsWith(Prefix, StringComparison.Ordinal) && Guid.TryParse(branch[Prefix.Length..], out taskId);
    }
}

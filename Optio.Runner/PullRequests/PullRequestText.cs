using Optio.Domain.Repos;

namespace Optio.Runner.PullRequests;

/// <summary>What the runner writes on a pull request it opens: the task's title, and a body that closes the task's ticket.</summary>
internal static class PullRequestText
{
    const int MaxTitle = 256;
    const int MaxPrompt = 20_000;

    public static string Title(ClaimedTask task) =>
        task.Title.Length <= MaxTitle ? task.Title : task.Title[..(MaxTitle - 1)] + "…";

    public static string Body(ClaimedTask task, GitHubUrl repo, string runnerId)
    {
        var lines = new List<string>();
        if (ClosingLine(task.Ticket, repo) is { } closes) lines.AddRange([closes, ""]);
        lines.Add($"Optio task `{task.Id}`, worked by optio-runner `{runnerId}`.");
        if (task.Prompt.Trim() is { Length: > 0 } prompt)
        {
            var shown = prompt.Length <= MaxPrompt ? prompt : prompt[..MaxPrompt] + "…";
            lines.AddRange(["", "<details><summary>Prompt</summary>", "", shown, "", "</details>"]);
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// <c>Closes #42</c> for an issue of the same repository, <c>Closes owner/repo#42</c> for another one (GitHub closes
    /// it on merge, Optio links the PR by it), <c>Closes ENG-42</c> for a Linear issue (Linear's GitHub integration).
    /// </summary>
    public static string? ClosingLine(TaskTicket? ticket, GitHubUrl repo)
    {
        if (ticket is null) return null;
        if (ticket.Source == "github" && ticket.Key.StartsWith("github:", StringComparison.Ordinal)
            && ticket.Key["github:".Length..].Split('#') is [var path, var number] && path.Split('/') is [var owner, var name])
        {
            var same = string.Equals(owner, repo.Owner, StringComparison.OrdinalIgnoreCase) && string.Equals(name, repo.Name, StringComparison.OrdinalIgnoreCase);
            return same ? $"Closes #{number}" : $"Closes {owner}/{name}#{number}";
        }
        return ticket.Identifier is { Length: > 0 } identifier ? $"Closes {identifier}" : null;
    }
}

using Wolverine;
using Wolverine.Runtime.Handlers;
using Optio.Api.Integrations;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Tickets.GitHub;

namespace Optio.Api.Tickets.Issues;

/// <summary>Tell the issue that Optio took it: a comment with the task id, and the <c>optio</c> label.</summary>
public sealed record AnnounceAssignment(Guid TaskId, string Owner, string Repo, int Number);

public static class AnnounceAssignmentHandler
{
    public const string Label = "optio";
    public const string LabelColor = "8250df";

    public static void Configure(HandlerChain chain) => UpstreamRetries.Apply(chain);

    public static async Task Handle(AnnounceAssignment command, GitHubIssues github, GitHubAccess access, CancellationToken ct)
    {
        var settings = await access.ForRepoAsync(command.Owner, command.Repo, ct);
        await github.EnsureLabelOnIssueAsync(settings, command.Owner, command.Repo, command.Number, Label, LabelColor, ct);
        await github.CommentAsync(settings, command.Owner, command.Repo, command.Number,
            $"Optio is working on this issue (task `{command.TaskId}`).", ct);
    }
}

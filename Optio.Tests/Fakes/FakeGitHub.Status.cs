using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Optio.Tests.Fakes;

// What showing a task's status on an issue needs: comments edited and deleted, labels taken off an issue.
public sealed partial class FakeGitHub
{
    public static class StatusRoutes
    {
        public const string UpdateComment = "update comment";
        public const string DeleteComment = "delete comment";
        public const string RemoveLabelFromIssue = "remove label from issue";
    }

    void MapStatusRoutes()
    {
        app.MapPatch("/repos/{owner}/{repo}/issues/comments/{id:long}", UpdateComment).WithName(StatusRoutes.UpdateComment);
        app.MapDelete("/repos/{owner}/{repo}/issues/comments/{id:long}", DeleteComment).WithName(StatusRoutes.DeleteComment);
        app.MapDelete("/repos/{owner}/{repo}/issues/{number:int}/labels/{name}", RemoveLabelFromIssue).WithName(StatusRoutes.RemoveLabelFromIssue);
    }

    /// <summary>Deletes a comment as a person on github.com would.</summary>
    public void DeleteCommentOf(string owner, string repo, int number, long commentId)
    {
        lock (gate)
        {
            var issue = Repo(owner, repo)!.Issues.Single(i => i.Number == number);
            var index = issue.CommentIds.IndexOf(commentId);
            issue.Comments.RemoveAt(index);
            issue.CommentIds.RemoveAt(index);
        }
    }

    Task UpdateComment(HttpContext ctx, string owner, string repo, long id)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.CommentIds.Contains(id)) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            var text = JsonNode.Parse(Body(ctx))?["body"]?.GetValue<string>();
            if (string.IsNullOrEmpty(text)) return Write(ctx, 422, ValidationFailed("IssueComment", "body", "missing_field"));
            issue.Comments[issue.CommentIds.IndexOf(id)] = text;
            var at = Tick();
            json = new JsonObject
            {
                ["id"] = id,
                ["node_id"] = $"IC_{id}",
                ["url"] = $"{ApiUrl}repos/{r.Owner}/{r.Name}/issues/comments/{id}",
                ["html_url"] = $"{HtmlUrl(r, issue)}#issuecomment-{id}",
                ["issue_url"] = $"{ApiUrl}repos/{r.Owner}/{r.Name}/issues/{issue.Number}",
                ["body"] = text,
                ["user"] = User("optio-bot"),
                ["created_at"] = Time(issue.CreatedAt),
                ["updated_at"] = Time(at),
                ["author_association"] = "NONE",
            }.ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task DeleteComment(HttpContext ctx, string owner, string repo, long id)
    {
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.CommentIds.Contains(id)) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            var index = issue.CommentIds.IndexOf(id);
            issue.Comments.RemoveAt(index);
            issue.CommentIds.RemoveAt(index);
        }
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    Task RemoveLabelFromIssue(HttpContext ctx, string owner, string repo, int number, string name)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.Number == number) is not { } issue
                || issue.Labels.FindIndex(l => l.Equals(name, StringComparison.OrdinalIgnoreCase)) is var at && at < 0)
                return Write(ctx, 404, """{"message":"Label does not exist","documentation_url":"https://docs.github.com/rest","status":"404"}""");
            issue.Labels.RemoveAt(at);
            issue.UpdatedAt = Tick();
            json = new JsonArray([.. issue.Labels.Select(n => LabelJson(r, EnsureLabel(r, n)))]).ToJsonString();
        }
        return Write(ctx, 200, json);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.Linear;

namespace Optio.Api.Integrations;

/// <summary>
/// A request that needed GitHub or Linear fails as that upstream's failure, naming it, never as Optio's or its
/// database's: no GitHub token is a 409 saying how to set one; a rate limit is 503 with <c>Retry-After</c>;
/// an upstream that cannot be reached or answers with an error is 502; one that does not answer in time is 504.
/// </summary>
public sealed class UpstreamFailure(ILogger<UpstreamFailure> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (Classify(exception) is not { } problem) return false;
        logger.LogWarning("{Title} while serving {Path}: {Error}", problem.Title, context.Request.Path, problem.Detail);
        if (problem.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Problems.Write(context, problem.Status, problem.Title, problem.Detail);
        return true;
    }

    sealed record UpstreamProblem(int Status, string Title, string Detail, TimeSpan? RetryAfter = null);

    static UpstreamProblem? Classify(Exception? e) => e switch
    {
        null => null,
        GitHubTokenMissingException missing => new(409, "GitHub token missing", missing.Message),
        GitHubRateLimitedException limited => new(503, "GitHub rate limit reached", limited.Message, limited.RetryAfter),
        GitHubApiException { InnerException: OperationCanceledException } slow => new(504, "GitHub did not answer in time", slow.Message),
        GitHubApiException failed => new(502, "GitHub request failed", failed.Message),
        LinearRateLimitedException limited => new(503, "Linear rate limit reached", limited.Message, limited.RetryAfter ?? TimeSpan.FromSeconds(60)),
        LinearApiException { InnerException: OperationCanceledException } slow => new(504, "Linear did not answer in time", slow.Message),
        LinearApiException failed => new(502, "Linear request failed", failed.Message),
        _ => Classify(e.InnerException),
    };
}

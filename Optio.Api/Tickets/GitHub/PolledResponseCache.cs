using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Octokit.Caching;
using Octokit.Internal;

namespace Optio.Api.Tickets.GitHub;

/// <summary>
/// Octokit's response cache: holding a page's ETag makes Octokit send <c>If-None-Match</c>, and on a 304
/// (which costs no rate limit) it hands back the page stored here.
/// </summary>
sealed class PolledResponseCache : IResponseCache
{
    readonly ConcurrentDictionary<string, CachedResponse.V1> pages = new();

    public Task<CachedResponse.V1> GetAsync(IRequest request) =>
        Task.FromResult(IsPolled(request) && pages.TryGetValue(Key(request), out var page) ? page : null!);

    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        // Only what is polled is cached (issue lists, and a tracked PR with its checks, statuses and reviews);
        // caching every GET (single issues, labels) would grow without bound.
        if (IsPolled(request) && cachedResponse.StatusCode == HttpStatusCode.OK && !string.IsNullOrEmpty(cachedResponse.ApiInfo?.Etag))
            pages[Key(request)] = cachedResponse;
        return Task.CompletedTask;
    }

    static bool IsPolled(IRequest request)
    {
        var path = Url(request).AbsolutePath;
        return path.EndsWith("/issues", StringComparison.Ordinal) || path.EndsWith("/check-runs", StringComparison.Ordinal)
            || path.EndsWith("/status", StringComparison.Ordinal) || path.EndsWith("/reviews", StringComparison.Ordinal)
            || path.Contains("/pulls/", StringComparison.Ordinal);
    }

    // GitHub's answers (and ETags) differ per token, so the token is part of the key; only its hash is kept.
    static string Key(IRequest request)
    {
        var auth = request.Headers.TryGetValue("Authorization", out var a) ? a : "";
        var accept = request.Headers.TryGetValue("Accept", out var ac) ? ac : "";
        return $"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(auth)))} {accept} {Url(request).AbsoluteUri}";
    }

    static Uri Url(IRequest request) => new(request.BaseAddress, request.Endpoint);
}

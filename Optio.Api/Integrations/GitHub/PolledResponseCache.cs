using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Octokit.Caching;
using Octokit.Internal;

namespace Optio.Api.Integrations.GitHub;

/// <summary>
/// Octokit's response cache: holding a page's ETag makes Octokit send <c>If-None-Match</c>, and on a 304
/// (which costs no rate limit) it hands back the page stored here. Bounded: at most <c>capacity</c> pages
/// (<c>Optio:GitHub:CachedResponses</c>), the least recently used leaving first; and the pages read for a
/// task's pull request leave as soon as the task no longer follows one (<see cref="ForgetTask"/>, <see cref="KeepOnlyTasks"/>).
/// </summary>
public sealed class PolledResponseCache(int capacity) : IResponseCache
{
    /// <summary>This host's cache: <c>Optio:GitHub:CachedResponses</c> pages.</summary>
    public PolledResponseCache(IOptions<GitHubOptions> options) : this(options.Value.CachedResponses)
    {
    }

    public const int DefaultCapacity = 2000;

    sealed record Page(string Key, Guid? Task, CachedResponse.V1 Response);

    // Octokit calls the cache deep inside its own calls with only the request in hand, so the task a
    // request is made for travels with the async flow.
    readonly AsyncLocal<Guid?> currentTask = new();
    readonly Lock gate = new();
    readonly Dictionary<string, LinkedListNode<Page>> pages = new();
    readonly LinkedList<Page> leastRecentlyUsedLast = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The cache needs room for at least one page.");

    public int Count
    {
        get { lock (gate) return pages.Count; }
    }

    public int CountFor(Guid taskId)
    {
        lock (gate) return leastRecentlyUsedLast.Count(p => p.Task == taskId);
    }

    /// <summary>Pages cached until the returned scope is disposed belong to <paramref name="taskId"/>.</summary>
    public IDisposable ForTask(Guid taskId)
    {
        var outer = currentTask.Value;
        currentTask.Value = taskId;
        return new Scope(() => currentTask.Value = outer);
    }

    public void ForgetTask(Guid taskId) => RemoveWhere(p => p.Task == taskId);

    /// <summary>Drops the pages of every task not in <paramref name="followed"/>; pages of no task (issue lists) stay.</summary>
    public void KeepOnlyTasks(IReadOnlySet<Guid> followed) => RemoveWhere(p => p.Task is { } task && !followed.Contains(task));

    public Task<CachedResponse.V1> GetAsync(IRequest request)
    {
        if (!IsPolled(request)) return Task.FromResult<CachedResponse.V1>(null!);
        lock (gate)
        {
            if (!pages.TryGetValue(Key(request), out var node)) return Task.FromResult<CachedResponse.V1>(null!);
            leastRecentlyUsedLast.Remove(node);
            leastRecentlyUsedLast.AddFirst(node);
            return Task.FromResult(node.Value.Response);
        }
    }

    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        // Only what is polled is cached (issue and pull request lists, and a tracked PR with its checks, statuses and
        // reviews); single issues and labels are read once.
        if (!IsPolled(request) || cachedResponse.StatusCode != HttpStatusCode.OK || string.IsNullOrEmpty(cachedResponse.ApiInfo?.Etag))
            return Task.CompletedTask;
        var key = Key(request);
        lock (gate)
        {
            if (pages.Remove(key, out var old)) leastRecentlyUsedLast.Remove(old);
            pages[key] = leastRecentlyUsedLast.AddFirst(new Page(key, currentTask.Value, cachedResponse));
            while (pages.Count > Capacity)
            {
                pages.Remove(leastRecentlyUsedLast.Last!.Value.Key);
                leastRecentlyUsedLast.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    void RemoveWhere(Func<Page, bool> predicate)
    {
        lock (gate)
            foreach (var node in Nodes().Where(n => predicate(n.Value)).ToList())
            {
                pages.Remove(node.Value.Key);
                leastRecentlyUsedLast.Remove(node);
            }
    }

    IEnumerable<LinkedListNode<Page>> Nodes()
    {
        for (var node = leastRecentlyUsedLast.First; node is not null; node = node.Next) yield return node;
    }

    static bool IsPolled(IRequest request)
    {
        var path = Url(request).AbsolutePath;
        return path.EndsWith("/issues", StringComparison.Ordinal) || path.EndsWith("/check-runs", StringComparison.Ordinal)
            || path.EndsWith("/status", StringComparison.Ordinal) || path.EndsWith("/reviews", StringComparison.Ordinal)
            || path.EndsWith("/pulls", StringComparison.Ordinal) || path.Contains("/pulls/", StringComparison.Ordinal);
    }

    // GitHub's answers (and ETags) differ per token, so the token is part of the key; only its hash is kept.
    static string Key(IRequest request)
    {
        var auth = request.Headers.TryGetValue("Authorization", out var a) ? a : "";
        var accept = request.Headers.TryGetValue("Accept", out var ac) ? ac : "";
        return $"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(auth)))} {accept} {Url(request).AbsoluteUri}";
    }

    static Uri Url(IRequest request) => new(request.BaseAddress, request.Endpoint);

    sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}

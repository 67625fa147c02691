using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Optio.Tests.Fakes;

/// <summary>What a subscriber got: one HTTP request, as it arrived.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ArrivedAt)
{
    /// <summary>The status the receiver answered with.</summary>
    public int Status { get; internal set; }

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No '{name}' header in {Path}");

    public string? HeaderOrNull(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>How the receiver answers one request.</summary>
/// <param name="Delay">Wait this long before answering at all.</param>
/// <param name="BodyDelay">Send the status and headers at once, then wait this long before the body.</param>
public sealed record Reply(int Status = 200, string Body = "ok", TimeSpan? Delay = null, IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan? BodyDelay = null)
{
    public static Reply Ok => new();
    public static Reply Fail(int status, string body = "nope") => new(status, body);
    public static Reply Gone => new(410, "gone");
    public static Reply RetryAfter(int status, string value) => new(status, "slow down", Headers: new Dictionary<string, string> { ["Retry-After"] = value });
    public static Reply Redirect(int status, string location) => new(status, "", Headers: new Dictionary<string, string> { ["Location"] = location });
    public static Reply Slow(TimeSpan delay) => new(Delay: delay);
    public static Reply SlowBody(TimeSpan delay) => new(BodyDelay: delay);
}

/// <summary>
/// A webhook subscriber on a real loopback HTTP(S) server: records every request (headers, body, arrival
/// time) and answers as told, per path: a queue of answers first, then the path's standing answer (200 by
/// default). Tests use a path of their own, so they can share one receiver.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly Lock gate = new();
    readonly List<ReceivedRequest> requests = [];
    readonly Dictionary<string, Queue<Reply>> queued = new();
    readonly Dictionary<string, Reply> standing = new();

    WebhookReceiver(WebApplication app, X509Certificate2? certificate)
    {
        this.app = app;
        Certificate = certificate;
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public int Port => BaseUrl.Port;

    /// <summary>The self-signed certificate of an HTTPS receiver.</summary>
    public X509Certificate2? Certificate { get; }

    /// <param name="https">Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 (see <see cref="Certificate"/>).</param>
    /// <param name="port">A fixed port (a receiver coming back up), or 0 for any free one.</param>
    public static async Task<WebhookReceiver> StartAsync(bool https = false, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var certificate = https ? SelfSigned() : null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            if (certificate is not null) l.UseHttps(certificate);
        }));
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), certificate);
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync();
        receiver.BaseUrl = new Uri(receiver.app.Urls.Single().Replace("[::]", "127.0.0.1").TrimEnd('/') + "/");
        return receiver;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>A fresh path on this receiver, e.g. <c>http://127.0.0.1:41234/hooks/3f2a…</c>.</summary>
    public string NewUrl(string prefix = "hooks") => new Uri(BaseUrl, $"{prefix}/{Guid.NewGuid():N}").ToString();

    public static string PathOf(string url) => new Uri(url).AbsolutePath;

    /// <summary>The next requests to the path get these answers, in order; then its standing answer again.</summary>
    public void Enqueue(string url, params Reply[] replies)
    {
        lock (gate)
        {
            if (!queued.TryGetValue(PathOf(url), out var queue)) queued[PathOf(url)] = queue = new Queue<Reply>();
            foreach (var reply in replies) queue.Enqueue(reply);
        }
    }

    /// <summary>Every request to the path gets this answer (after any queued ones).</summary>
    public void AnswerAlways(string url, Reply reply)
    {
        lock (gate) standing[PathOf(url)] = reply;
    }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get { lock (gate) return requests.ToList(); }
    }

    public IReadOnlyList<ReceivedRequest> RequestsTo(string url) => Requests.Where(r => r.Path == PathOf(url)).ToList();

    /// <summary>Waits until the path has received at least <paramref name="count"/> requests (answered ones) and returns them all.</summary>
    public Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(string url, int count, TimeSpan? timeout = null) =>
        Infrastructure.Eventually.Until(() => Task.FromResult(RequestsTo(url)), r => r.Count >= count && r.All(x => x.Status != 0),
            timeout ?? TimeSpan.FromSeconds(30), $"{count} request(s) to {PathOf(url)}");

    async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedRequest(context.Request.Method, context.Request.Path, headers, body, DateTimeOffset.UtcNow);
        Reply reply;
        lock (gate)
        {
            reply = queued.TryGetValue(received.Path, out var queue) && queue.Count > 0 ? queue.Dequeue()
                : standing.GetValueOrDefault(received.Path, Reply.Ok);
            requests.Add(received);
        }
        if (reply.Delay is { } delay) // a slow subscriber is the scenario: Optio's timeout must cut it off
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { received.Status = -1; return; }
        }
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        received.Status = reply.Status;
        if (reply.BodyDelay is { } bodyDelay)
        {
            await context.Response.StartAsync();
            await context.Response.Body.FlushAsync();
            try { await Task.Delay(bodyDelay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        await context.Response.WriteAsync(reply.Body);
    }

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}

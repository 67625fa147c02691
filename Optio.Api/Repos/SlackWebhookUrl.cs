using System.Net;
using Optio.Api.Core.Http;

namespace Optio.Api.Repos;

/// <summary>
/// The one rule for a Slack incoming-webhook URL, wherever one is given (a repo's <c>slackWebhookUrl</c>,
/// <c>POST /api/slack/test</c>): https. Plain http only to a loopback host that the SSRF guard lets through
/// (<c>Optio:Webhooks:AllowedNetworks</c>; Development allows 127.0.0.0/8), for a local stand-in for Slack.
/// The URL is a credential, so the message never repeats it.
/// </summary>
public static class SlackWebhookUrl
{
    public static string? Problem(string field, string? url, SsrfGuard guard)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return $"'{field}' must be a Slack incoming-webhook URL (https://hooks.slack.com/services/...).";
        if (uri.Scheme == "http" && !IsAllowedLoopback(uri, guard))
            return $"'{field}' must be an https URL (https://hooks.slack.com/services/...); plain http is accepted only for a loopback " +
                   "address that Optio:Webhooks:AllowedNetworks allows (as Development does).";
        return null;
    }

    static bool IsAllowedLoopback(Uri uri, SsrfGuard guard) =>
        uri.IsLoopback && guard.IsAllowed(IPAddress.TryParse(uri.DnsSafeHost, out var address) ? address : IPAddress.Loopback);
}

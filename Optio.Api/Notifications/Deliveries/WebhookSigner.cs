using System.Security.Cryptography;
using System.Text;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>
/// Signatures a subscriber can verify. Standard Webhooks: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of
/// "id.timestamp.body"&gt;</c>, keyed by the base64 after <c>whsec_</c> (or the secret's UTF-8 bytes when it has
/// no such prefix); one signature per active secret, space-separated. GitHub style, for simple verifiers:
/// <c>X-Optio-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> keyed by the secret string's UTF-8 bytes.
/// </summary>
public static class WebhookSigner
{
    public static string StandardSignature(IEnumerable<string> secrets, string id, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(StandardKey(secret), signed))));
    }

    public static string GitHubStyleSignature(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    static byte[] StandardKey(string secret) =>
        secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret["whsec_".Length..]) : Encoding.UTF8.GetBytes(secret);
}

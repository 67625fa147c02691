using System.Security.Cryptography;
using System.Text;
using Optio.Tests.Fakes;

namespace Optio.Tests.Webhooks;

/// <summary>
/// A subscriber's verification, written from the specifications, not from Optio's signer:
/// Standard Webhooks (<c>v1,</c> base64 HMAC-SHA256 of <c>id.timestamp.body</c>, key = base64 after <c>whsec_</c>)
/// and GitHub style (<c>sha256=</c> hex HMAC-SHA256 of the body, key = the secret's UTF-8 bytes).
/// </summary>
public static class SubscriberVerification
{
    public static bool StandardWebhooks(string secret, ReceivedRequest request)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal)
            ? Convert.FromBase64String(secret.Substring(6))
            : Encoding.UTF8.GetBytes(secret);
        var signedContent = $"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.{request.Body}";
        using var hmac = new HMACSHA256(key);
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(signedContent))));
        return request.Header("webhook-signature").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }

    public static bool GitHubStyle(string secret, ReceivedRequest request)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var hex = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(request.Body)).Select(b => b.ToString("x2")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes("sha256=" + hex),
            Encoding.ASCII.GetBytes(request.Header("X-Optio-Signature-256")));
    }
}

/// <summary>The test's own verifier is right: it accepts the Standard Webhooks specification's example.</summary>
public class SubscriberVerificationTests
{
    [Fact]
    public void The_standard_webhooks_example_verifies()
    {
        var request = new ReceivedRequest("POST", "/", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-id"] = "msg_p5jXN8AQM9LWM0D4loKWxJek",
            ["webhook-timestamp"] = "1614265330",
            ["webhook-signature"] = "v1,bogus v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        }, """{"test": 2432232314}""", DateTimeOffset.UtcNow);

        Assert.True(SubscriberVerification.StandardWebhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", request));
        Assert.False(SubscriberVerification.StandardWebhooks("whsec_" + Convert.ToBase64String(new byte[24]), request));
    }
}

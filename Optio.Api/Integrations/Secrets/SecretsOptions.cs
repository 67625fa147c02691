using Optio.Api.Core.Http;

namespace Optio.Api.Integrations.Secrets;

/// <summary>The key of stored secrets (<c>Optio:SecretsKey</c>, <c>Optio:SecretsKeyFile</c>).</summary>
public sealed class SecretsOptions
{
    public const string Section = "Optio";

    /// <summary>Base64 of 32 bytes: the AES-256-GCM key; when empty, the key file's.</summary>
    public string? SecretsKey { get; set; }

    /// <summary>Where a generated key is kept when no key is configured; <c>.optio/secrets.key</c> under the content root when empty.</summary>
    public string? SecretsKeyFile { get; set; }

    /// <summary>The configured key, or null when none is.</summary>
    public byte[]? Key => SecretsKey is { Length: > 0 } configured ? Convert.FromBase64String(configured) : null;

    internal static IEnumerable<string> Problems(SecretsOptions o, string section)
    {
        if (o.SecretsKey is not { Length: > 0 } key) yield break;
        var bytes = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, bytes, out var length) || length != 32)
            yield return $"{section}:SecretsKey must be the base64 of exactly 32 bytes (openssl rand -base64 32); got {(Convert.TryFromBase64String(key, bytes, out length) ? $"{length} bytes" : "text that is not base64")}";
    }
}

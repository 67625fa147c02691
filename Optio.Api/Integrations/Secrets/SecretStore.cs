using Marten;

namespace Optio.Api.Integrations.Secrets;

/// <summary>A secret at rest: its name, when it changed, and the sealed value. Never leaves the server.</summary>
public sealed class StoredSecret
{
    public string Id { get; set; } = "";
    public byte[] Sealed { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Reads and writes named secrets, encrypted. <c>GITHUB_TOKEN</c>, <c>GITHUB_WEBHOOK_SECRET</c> and <c>LINEAR_WEBHOOK_SECRET</c> fall back to configuration / environment.</summary>
public sealed class SecretStore(IDocumentStore store, SecretCipher cipher, IConfiguration configuration, TimeProvider clock)
{
    public const string GitHubToken = "GITHUB_TOKEN";
    public const string GitHubWebhookSecret = "GITHUB_WEBHOOK_SECRET";
    public const string LinearWebhookSecret = "LINEAR_WEBHOOK_SECRET";

    // Secrets that may also come from configuration / the environment, under the same name.
    static readonly string[] ConfigurationFallbacks = [GitHubToken, GitHubWebhookSecret, LinearWebhookSecret];

    public async Task PutAsync(string name, string value, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(new StoredSecret { Id = name, Sealed = cipher.Encrypt(name, value), UpdatedAt = clock.GetUtcNow() });
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The value, or null when the secret does not exist (nor, for GITHUB_TOKEN, the environment fallback).</summary>
    public async Task<string?> GetAsync(string name, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var secret = await session.LoadAsync<StoredSecret>(name, ct);
        if (secret is not null) return cipher.Decrypt(name, secret.Sealed);
        return ConfigurationFallbacks.Contains(name) && configuration[name] is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }
}

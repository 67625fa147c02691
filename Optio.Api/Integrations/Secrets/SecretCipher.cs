using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Optio.Api.Integrations.Secrets;

/// <summary>
/// AES-256-GCM with a key from configuration (<c>Optio:SecretsKey</c>, base64 of 32 bytes), or,
/// when none is configured, a key generated once into <c>Optio:SecretsKeyFile</c> (mode 0600).
/// The secret's name is authenticated with it, so a value cannot be moved to another name.
/// </summary>
public sealed class SecretCipher
{
    const int NonceSize = 12;
    const int TagSize = 16;
    readonly byte[] _key;

    public SecretCipher(IOptions<SecretsOptions> options, IHostEnvironment environment, ILogger<SecretCipher> logger)
    {
        if (options.Value.Key is { } configured)
        {
            _key = configured;
            if (_key.Length != 32)
                throw new InvalidOperationException("Optio:SecretsKey must be the base64 of exactly 32 bytes (openssl rand -base64 32).");
            return;
        }
        var file = options.Value.SecretsKeyFile ?? Path.Combine(environment.ContentRootPath, ".optio", "secrets.key");
        _key = LoadOrCreate(file, logger);
    }

    public byte[] Encrypt(string name, string value)
    {
        var plaintext = Encoding.UTF8.GetBytes(value);
        var sealedBox = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBox.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBox.AsSpan(NonceSize + TagSize), sealedBox.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(name));
        return sealedBox;
    }

    public string Decrypt(string name, byte[] sealedBox)
    {
        var plaintext = new byte[sealedBox.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBox.AsSpan(0, NonceSize), sealedBox.AsSpan(NonceSize + TagSize), sealedBox.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(name));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>The value, or null when it cannot be opened: sealed under another key, or damaged.</summary>
    public string? TryDecrypt(string name, byte[] sealedBox)
    {
        try
        {
            return Decrypt(name, sealedBox);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    static byte[] LoadOrCreate(string file, ILogger logger)
    {
        if (File.Exists(file)) return Convert.FromBase64String(File.ReadAllText(file).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(file, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.LogWarning("No Optio:SecretsKey configured: generated a secrets key in {File}. Back it up; secrets cannot be read without it.", file);
        return key;
    }
}

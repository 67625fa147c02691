using System.Text.RegularExpressions;

namespace Optio.Runner.Agent;

/// <summary>
/// Masks what must not leave the machine in a log or a failure reason: the runner's own secrets (its API key, the
/// GitHub token) wherever they appear, and anything shaped like a GitHub token, a bearer credential or a password in
/// a URL, whoever printed it.
/// </summary>
internal sealed partial class SecretMask(IEnumerable<string> secrets)
{
    public const string Mask = "***";
    readonly string[] known = [.. secrets.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length)];

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<=\b(?:bearer|token|basic)\s+)[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();

    [GeneratedRegex(@"(?<=://[^/\s:@]+:)[^/\s@]+(?=@)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    public string Apply(string line)
    {
        foreach (var secret in known) line = line.Replace(secret, Mask, StringComparison.Ordinal);
        line = GitHubToken().Replace(line, Mask);
        line = Credential().Replace(line, Mask);
        return UrlPassword().Replace(line, Mask);
    }
}

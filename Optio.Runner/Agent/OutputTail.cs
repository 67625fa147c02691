using System.Text;
using System.Text.RegularExpressions;

namespace Optio.Runner.Agent;

/// <summary>The last lines an agent printed (masked, printable), and the last pull request URL among all it printed.</summary>
internal sealed partial class OutputTail(int lines = OutputTail.DefaultLines)
{
    public const int DefaultLines = 50;
    readonly Queue<string> tail = new();
    readonly Lock gate = new();
    string? pullRequest;

    [GeneratedRegex(@"https?://[^\s/'""<>]+/[\w.-]+/[\w.-]+/pull/\d+", RegexOptions.CultureInvariant)]
    private static partial Regex PullRequestPattern();

    [GeneratedRegex(@"\x1B\[[0-?]*[ -/]*[@-~]|\x1B[@-_]", RegexOptions.CultureInvariant)]
    private static partial Regex AnsiEscape();

    public void Add(string line)
    {
        line = Printable(line);
        lock (gate)
        {
            foreach (Match m in PullRequestPattern().Matches(line)) pullRequest = m.Value;
            tail.Enqueue(line);
            while (tail.Count > lines) tail.Dequeue();
        }
    }

    /// <summary>The last pull request URL the agent printed, if any.</summary>
    public string? PullRequestUrl { get { lock (gate) return pullRequest; } }

    /// <summary>The kept lines, cut from the front so the whole fits in <paramref name="maxChars"/>.</summary>
    public string Text(int maxChars)
    {
        string[] kept;
        lock (gate) kept = [.. tail];
        var text = string.Join('\n', kept);
        return text.Length <= maxChars ? text : "…" + text[^(maxChars - 1)..];
    }

    /// <summary>No terminal colours, no control characters the service refuses (NUL, lone surrogates).</summary>
    public static string Printable(string line)
    {
        line = AnsiEscape().Replace(line, "");
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1])) { sb.Append(c).Append(line[++i]); continue; }
            if (char.IsSurrogate(c) || (char.IsControl(c) && c != '\t')) continue;
            sb.Append(c);
        }
        return sb.ToString();
    }
}

namespace Optio.Domain.Tickets;

/// <summary>
/// The normalised identity of a ticket (<c>github:acme/webapp#42</c>, <c>linear:&lt;uuid&gt;</c>).
/// Its <see cref="TaskId"/> is a UUIDv5, so the same ticket always maps to the same task stream
/// and PostgreSQL refuses a second one, whatever races.
/// </summary>
public sealed record TicketKey
{
    // Fixed forever: changing it would give every existing ticket a new task id.
    static readonly Guid Namespace = new("6f5b8c1e-3d2a-4c7b-9e41-0b7a2d9c5e13");

    public string Value { get; }

    TicketKey(string value) => Value = value;

    public static TicketKey GitHub(string owner, string repo, int number)
    {
        if (string.IsNullOrWhiteSpace(owner) || string.IsNullOrWhiteSpace(repo))
            throw new ArgumentException("A GitHub ticket needs an owner and a repository name.");
        if (number <= 0)
            throw new ArgumentOutOfRangeException(nameof(number), "GitHub issue numbers start at 1.");
        return new($"{TicketSource.GitHub}:{owner.Trim().ToLowerInvariant()}/{repo.Trim().ToLowerInvariant()}#{number}");
    }

    public static TicketKey Linear(Guid issueId) => new($"{TicketSource.Linear}:{issueId:D}");

    /// <summary>The key of a provider's ticket: <paramref name="source"/> "github" or "linear", and its external id.</summary>
    public static TicketKey Of(string source, string externalId) => Parse($"{source}:{externalId}");

    /// <summary>Parses <c>github:owner/repo#n</c> or <c>linear:&lt;uuid&gt;</c>, normalising case.</summary>
    public static TicketKey Parse(string value)
    {
        var (source, rest) = value.IndexOf(':') is var colon and > 0
            ? (value[..colon].Trim().ToLowerInvariant(), value[(colon + 1)..].Trim())
            : throw new FormatException($"'{value}' is not a ticket key (expected 'github:owner/repo#42' or 'linear:<uuid>').");
        return source switch
        {
            TicketSource.GitHub when rest.Split('/', '#') is [var owner, var repo, var n] && int.TryParse(n, out var number)
                => GitHub(owner, repo, number),
            TicketSource.Linear when Guid.TryParse(rest, out var id) => Linear(id),
            _ => throw new FormatException($"'{value}' is not a ticket key (expected 'github:owner/repo#42' or 'linear:<uuid>')."),
        };
    }

    public Guid TaskId => NameBasedGuid.Create(Namespace, Value);

    public override string ToString() => Value;
}

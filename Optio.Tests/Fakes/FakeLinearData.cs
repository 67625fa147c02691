namespace Optio.Tests.Fakes;

// What FakeLinear serves. Property names are the GraphQL field names, so GraphQL.NET resolves them by name.

public sealed class FakeLinearTeam
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Key { get; init; }
    string? _name;
    /// <summary>The key unless a test names the team otherwise (to tell lookups by key from lookups by name).</summary>
    public string Name { get => _name ?? Key; set => _name = value; }
    public List<FakeLinearState> States { get; } = [];
    public List<FakeLinearProject> Projects { get; } = [];
    /// <summary>The team's issue labels (what discovery lists; issues carry labels of their own).</summary>
    public List<FakeLinearLabel> Labels { get; } = [];
    internal int LastNumber;

    public FakeLinearState AddState(string name, string type, double position)
    {
        var state = new FakeLinearState { Name = name, Type = type, Position = position, Team = this };
        States.Add(state);
        return state;
    }

    public FakeLinearState State(string name) => States.Single(s => s.Name == name);
}

public sealed class FakeLinearState
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Name { get; init; }
    /// <summary>triage, backlog, unstarted, started, completed or canceled.</summary>
    public required string Type { get; init; }
    public required double Position { get; init; }
    public required FakeLinearTeam Team { get; init; }
    public string Color => "#5e6ad2";
}

public sealed class FakeLinearIssue
{
    public Guid Uuid { get; } = Guid.NewGuid();
    public string Id => Uuid.ToString("D");
    public required string Identifier { get; init; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public string Url => $"https://linear.app/acme/issue/{Identifier.ToLowerInvariant()}";
    /// <summary>0 none, 1 urgent, 2 high, 3 medium, 4 low.</summary>
    public double Priority { get; set; }
    public FakeLinearUser? Assignee { get; set; }
    public required FakeLinearTeam Team { get; set; }
    public required FakeLinearState State { get; set; }
    public FakeLinearProject? Project { get; set; }
    public List<FakeLinearLabel> Labels { get; } = [];
    public List<FakeLinearAttachment> Attachments { get; } = [];
    public List<FakeLinearComment> Comments { get; } = [];
    /// <summary>Issues with a <c>blocks</c> relation to this one (this issue's <c>inverseRelations</c>).</summary>
    public List<FakeLinearIssue> BlockedBy { get; } = [];

    public FakeLinearIssue Attach(string url, string title = "Link")
    {
        Attachments.Add(new FakeLinearAttachment { Url = url, Title = title });
        return this;
    }
}

public sealed class FakeLinearUser
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Name { get; init; }
    public required string Email { get; init; }
    public string DisplayName => Name;
}

public sealed class FakeLinearProject
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Name { get; init; }
    public FakeLinearProjectStatus Status { get; init; } = new() { Type = "started" };
}

public sealed class FakeLinearProjectStatus
{
    public string Id { get; } = Guid.NewGuid().ToString();
    /// <summary>backlog, planned, started, paused, completed or canceled.</summary>
    public required string Type { get; init; }
    public string Name => Type;
}

public sealed class FakeLinearLabel
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Name { get; init; }
}

public sealed class FakeLinearAttachment
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Url { get; init; }
    public required string Title { get; init; }
}

/// <summary>A relation from <see cref="Issue"/> to <see cref="RelatedIssue"/> (<c>blocks</c>: Issue blocks RelatedIssue).</summary>
public sealed class FakeLinearRelation
{
    public string Id => $"{Issue.Id}:{Type}:{RelatedIssue.Id}";
    public required string Type { get; init; }
    public required FakeLinearIssue Issue { get; init; }
    public required FakeLinearIssue RelatedIssue { get; init; }
}

public sealed record FakeLinearConnection<T>(IReadOnlyList<T> Nodes, FakeLinearPageInfo PageInfo);

public sealed record FakeLinearPageInfo(bool HasNextPage, string? EndCursor, bool HasPreviousPage, string? StartCursor);

public sealed record FakeLinearIssuePayload(bool Success, FakeLinearIssue? Issue, double LastSyncId);

/// <summary>An issueUpdate the fake carried out.</summary>
public sealed record FakeLinearUpdate(Guid IssueId, string StateId);

/// <summary>The fake's state; the root value every query and mutation resolves against.</summary>
public sealed class FakeLinearData
{
    internal readonly Lock Gate = new();
    internal List<FakeLinearTeam> Teams { get; } = [];
    /// <summary>Labels of no team, which any team's issue may carry (Linear's workspace labels).</summary>
    internal List<FakeLinearLabel> WorkspaceLabels { get; } = [];
    internal List<FakeLinearIssue> Issues { get; } = [];
    internal List<FakeLinearUpdate> Updates { get; } = [];
    internal bool IssueUpdateSucceeds { get; set; } = true;
}

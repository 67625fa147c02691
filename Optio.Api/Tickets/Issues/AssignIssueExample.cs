using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Issues;

/// <summary>Assigning a GitHub issue to Optio, as the OpenAPI document shows it.</summary>
public sealed class AssignIssueExample : ApiExample
{
    public override IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>
    {
        ["By the issue's URL"] = """{"issueUrl": "https://github.com/acme/webapp/issues/42"}""",
        ["By number in a connected repo"] = """
            {"issueNumber": 42, "repoId": "01a22f8a-d0a4-7b51-9f0e-3c4d5e6f7a8b", "agentType": "claude-code"}
            """,
    };

    public override int ResponseStatus => StatusCodes.Status201Created;

    public override string Response => """
        {"id": "01a22f8b-0a1c-7c3e-8f2d-5b6a7c8d9e0f", "title": "Checkout fails with an empty cart",
         "prompt": "Steps: empty the cart, press Checkout. Expected: a message. Actual: 500.", "repoUrl": "https://github.com/acme/webapp",
         "source": "github",
         "ticket": {"source": "github", "key": "github:acme/webapp#42", "externalId": "42", "identifier": "acme/webapp#42",
                    "url": "https://github.com/acme/webapp/issues/42", "labels": ["optio", "bug"], "agentType": "claude-code"},
         "state": "queued", "blockedBy": [], "version": 2,
         "createdAt": "2026-12-01T03:05:00.000000+00:00", "updatedAt": "2026-12-01T03:05:00.000000+00:00"}
        """;
}

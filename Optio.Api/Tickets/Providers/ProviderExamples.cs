using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Providers;

/// <summary>Saving a GitHub and a Linear provider, as the OpenAPI document shows them.</summary>
public sealed class SaveProviderExample : ApiExample
{
    public override IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>
    {
        ["GitHub Issues"] = """
            {"source": "github", "config": {"repos": ["acme/webapp"], "labels": ["optio"], "assignee": null}, "enabled": true}
            """,
        ["Linear, by ids"] = """
            {"source": "linear", "enabled": true,
             "config": {"apiKey": "lin_api_0123456789abcdef", "teamId": "5a0b3c1e-1111-4f2a-9a4e-2b7c9d1e0f3a",
                        "projectId": "8d2c4e6f-2222-4b1a-8c3d-4e5f6a7b8c9d", "label": "optio"}}
            """,
        ["Linear, by names (looked up in Linear)"] = """
            {"source": "linear", "config": {"apiKeySecret": "LINEAR_API_KEY", "team": "ENG", "project": "Roadmap", "label": "optio"}}
            """,
    };

    public override int ResponseStatus => StatusCodes.Status201Created;

    public override string Response => """
        {"id": "01a22f8a-cb87-7e5d-9819-d88af6c84f50", "source": "github", "enabled": true,
         "config": {"repos": ["acme/webapp"], "labels": ["optio"], "tokenSecret": "GITHUB_TOKEN", "publishStatus": true},
         "status": {"consecutiveFailures": 0, "lastRun": {"ticketsSeen": 0, "imported": 0, "skippedAsDuplicates": 0, "linked": 0,
                    "updated": 0, "cancelled": 0, "unchangedScopes": 0}},
         "createdAt": "2026-12-01T02:58:48.0213597+00:00", "updatedAt": "2026-12-01T02:58:48.0213597+00:00"}
        """;
}

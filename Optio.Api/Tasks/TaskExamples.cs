using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tasks;

/// <summary>The task routes' examples in the OpenAPI document (bodies as the API really takes and answers them).</summary>
public sealed class CreateTaskExample : ApiExample
{
    public override IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>
    {
        ["A task on a repository"] = """
            {"title": "Fix the login redirect", "prompt": "After signing in, users land on /404. Send them to /dashboard.",
             "repoUrl": "https://github.com/acme/webapp", "priority": 2}
            """,
    };

    public override int ResponseStatus => StatusCodes.Status201Created;

    public override string Response => """
        {"id": "01a22f8a-bfbf-7970-815e-8a3c1fd05f85", "title": "Fix the login redirect",
         "prompt": "After signing in, users land on /404. Send them to /dashboard.", "repoUrl": "https://github.com/acme/webapp",
         "source": "manual", "state": "queued", "priority": 2, "blockedBy": [], "version": 2,
         "createdAt": "2026-12-01T02:59:11.956826+00:00", "updatedAt": "2026-12-01T02:59:11.956826+00:00"}
        """;
}

public sealed class ClaimTaskExample : ApiExample
{
    public override IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>
    {
        ["The most urgent task, for 10 minutes"] = """{"runnerId": "runner-1", "leaseSeconds": 600, "order": "priority"}""",
        ["The oldest task, default lease (300 s)"] = """{"runnerId": "runner-1"}""",
    };

    public override string Response => """
        {"id": "01a22f8a-bfbf-7970-815e-8a3c1fd05f85", "title": "Fix the login redirect",
         "prompt": "After signing in, users land on /404. Send them to /dashboard.", "repoUrl": "https://github.com/acme/webapp",
         "source": "manual", "state": "provisioning", "priority": 2, "blockedBy": [], "runnerId": "runner-1",
         "leaseExpiresAt": "2026-12-01T03:09:13.202438+00:00", "version": 3,
         "createdAt": "2026-12-01T02:59:11.956826+00:00", "updatedAt": "2026-12-01T02:59:13.202438+00:00"}
        """;
}

public sealed class ReportPrExample : ApiExample
{
    public override IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>
    {
        ["The pull request the runner opened"] = """{"prUrl": "https://github.com/acme/webapp/pull/7"}""",
    };

    public override string Response => """
        {"id": "01a22f8a-bfbf-7970-815e-8a3c1fd05f85", "title": "Fix the login redirect",
         "prompt": "After signing in, users land on /404. Send them to /dashboard.", "repoUrl": "https://github.com/acme/webapp",
         "source": "manual", "state": "pr_opened", "priority": 2, "blockedBy": [], "runnerId": "runner-1",
         "prUrl": "https://github.com/acme/webapp/pull/7", "version": 5,
         "createdAt": "2026-12-01T02:59:11.956826+00:00", "updatedAt": "2026-12-01T02:59:14.440913+00:00"}
        """;
}

using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Notifications.Subscriptions;

/// <summary>Subscribing to task events, as the OpenAPI document shows it: the generated secret is in this answer only.</summary>
public sealed class CreateSubscriptionExample : ApiExample
{
    public override IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>
    {
        ["Completed and failed tasks, secret generated"] = """
            {"url": "https://hooks.example.com/optio", "events": ["task.completed", "task.failed"]}
            """,
        ["With a secret of your own"] = """
            {"url": "https://hooks.example.com/optio", "events": ["task.pr_opened"], "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
            """,
    };

    public override int ResponseStatus => StatusCodes.Status201Created;

    public override string Response => """
        {"id": "01a22f8a-ceda-7490-840c-181c3be07de1", "url": "https://hooks.example.com/optio", "events": ["task.completed", "task.failed"],
         "enabled": true, "rotatingSecret": false, "createdAt": "2026-12-01T02:58:48.0213597+00:00",
         "updatedAt": "2026-12-01T02:58:48.0213597+00:00", "secret": "whsec_k5SsDLYph9j4nDo6b8GIELqzpcjir8rK"}
        """;
}

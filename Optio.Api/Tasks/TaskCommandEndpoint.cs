using Optio.Api.Core.Http;
using Optio.Domain.Tasks;

namespace Optio.Api.Tasks;

/// <summary>The HTTP half every task command shares: If-Match, then the decision, then the outcome as a response.</summary>
public static class TaskCommandEndpoint
{
    public static async Task<IResult> RunAsync(
        HttpContext http, TaskWriter writer, Guid id, Func<OptioTask, Decision> decide)
    {
        if (!ExpectedVersion.TryRead(http.Request, out var expected, out var error))
            return Problems.BadRequest(error!);
        var outcome = await writer.DecideAsync(id, expected, decide, http.RequestAborted);
        return outcome.ToHttp(http);
    }
}

using Microsoft.AspNetCore.Mvc;
using Optio.Domain.Tasks;

namespace Optio.Api.Core.Http;

/// <summary>The one error shape of the API: RFC 9457 problem details with a message a person can act on.</summary>
public static class Problems
{
    public static IResult Result(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static IResult BadRequest(string detail) => Result(400, "Invalid request", detail);

    /// <summary>A 400 a program can act on too: an <c>errorCode</c> and what else it carries (e.g. the <c>available</c> values).</summary>
    public static IResult BadRequest(string detail, string errorCode, IDictionary<string, object?> more) =>
        Result(400, "Invalid request", detail, new Dictionary<string, object?>(more) { ["errorCode"] = errorCode });

    public static IResult NotFound(string what) => Result(404, "Not found", $"{what} does not exist.");

    /// <summary>A task asked for at a version it has not reached: 404 naming the version it is at.</summary>
    public static IResult VersionNotYet(Guid taskId, long asked, long current) => Result(404, "Not found",
        $"Task {taskId} has {current} versions; version {asked} does not exist yet.",
        new Dictionary<string, object?> { ["currentVersion"] = current });

    /// <summary>A task asked for at a moment before it existed: 404 naming when it was created.</summary>
    public static IResult NotYetCreated(Guid taskId, DateTimeOffset asked, DateTimeOffset createdAt) => Result(404, "Not found",
        $"Task {taskId} was created at {createdAt:O}; it did not exist yet at {asked:O}.",
        new Dictionary<string, object?> { ["createdAt"] = createdAt });

    public static IResult Refused(Refusal refusal) => Result(409, "Transition refused", refusal.Message,
        new Dictionary<string, object?>
        {
            ["currentState"] = refusal.Current.WireName(),
            ["allowedTransitions"] = refusal.Allowed.Select(s => s.WireName()).ToArray(),
        });

    public static IResult StaleVersion(long expected, long actual, string what = "the task") => Result(412, "Version mismatch",
        $"If-Match expected version {expected} but {what} is at version {actual}. Reload it (its ETag is the version) and try again.",
        new Dictionary<string, object?> { ["currentVersion"] = actual });

    /// <summary>A problem the caller sent: 400 with that message, as a <see cref="ProblemDetails"/> for Wolverine's Validate methods.</summary>
    public static ProblemDetails Invalid(string detail) => new() { Status = 400, Title = "Invalid request", Detail = detail };

    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);
}

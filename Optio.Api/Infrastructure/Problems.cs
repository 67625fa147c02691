using Microsoft.AspNetCore.Mvc;
using Optio.Domain.Tasks;

namespace Optio.Api.Infrastructure;

/// <summary>The one error shape of the API: RFC 9457 problem details with a message a person can act on.</summary>
public static class Problems
{
    public static IResult Result(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static IResult BadRequest(string detail) => Result(400, "Invalid request", detail);

    public static IResult NotFound(string what) => Result(404, "Not found", $"{what} does not exist.");

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

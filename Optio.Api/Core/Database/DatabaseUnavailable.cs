using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Optio.Api.Core.Http;

namespace Optio.Api.Core.Database;

/// <summary>
/// While PostgreSQL cannot be reached, requests fail cleanly: 503 with <c>Retry-After</c> and a
/// problem saying so, instead of a 500. Nothing was written, so the caller can simply retry.
/// </summary>
public sealed class DatabaseUnavailable(ILogger<DatabaseUnavailable> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!IsOutage(exception)) return false;
        logger.LogWarning("Database unavailable while serving {Path}: {Error}", context.Request.Path, exception.GetBaseException().Message);
        context.Response.Headers.RetryAfter = "5";
        await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Database unavailable",
            "Optio cannot reach its PostgreSQL database right now; nothing was changed. Retry in a few seconds.");
        return true;
    }

    /// <summary>Only PostgreSQL's own failures: a socket error talking to GitHub or Linear is theirs (<see cref="UpstreamFailure"/>).</summary>
    static bool IsOutage(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } || e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" })
                return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsOutage)) return true;
        }
        return false;
    }
}

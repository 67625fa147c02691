using System.Net;

namespace Optio.Api.Integrations.Linear;

/// <summary>Linear refused or failed a request. The message says why and never carries the API key.</summary>
public class LinearApiException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status Linear answered with, when it answered at all.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary>Linear is rate limiting this key: try again after <see cref="RetryAfter"/>, when Linear said.</summary>
public sealed class LinearRateLimitedException(string message, TimeSpan? retryAfter, HttpStatusCode? statusCode = null)
    : LinearApiException(message, statusCode)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

using Microsoft.Net.Http.Headers;

namespace Optio.Api.Tasks;

/// <summary>Reads <c>If-Match: "3"</c> (or <c>W/"3"</c>, or a bare 3) as the version the caller last saw.</summary>
public static class ExpectedVersion
{
    public static bool TryRead(HttpRequest request, out long? version, out string? error)
    {
        version = null;
        error = null;
        var raw = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(raw) || raw.Trim() == "*") return true;
        var tag = raw.Trim();
        if (EntityTagHeaderValue.TryParse(tag, out var parsed)) tag = parsed.Tag.ToString();
        if (long.TryParse(tag.Trim('"'), out var v) && v > 0)
        {
            version = v;
            return true;
        }
        error = $"If-Match '{raw}' is not a task version: send the ETag of the task, e.g. If-Match: \"3\".";
        return false;
    }
}

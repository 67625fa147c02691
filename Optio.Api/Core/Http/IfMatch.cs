using Microsoft.Net.Http.Headers;

namespace Optio.Api.Core.Http;

/// <summary>
/// Versions on the wire: <c>ETag: "3"</c> in answers, <c>If-Match: "3"</c> (or <c>W/"3"</c>, or a bare 3) in writes,
/// meaning "only if it is still at the version I last saw".
/// </summary>
public static class IfMatch
{
    public static string ETag(long version) => $"\"{version}\"";

    /// <summary>True with a null version when there is no If-Match (or <c>*</c>); false with an error when it is not a version.</summary>
    public static bool TryRead(HttpRequest request, string what, long lowest, out long? version, out string? error)
    {
        version = null;
        error = null;
        var raw = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(raw) || raw.Trim() == "*") return true;
        var tag = raw.Trim();
        if (EntityTagHeaderValue.TryParse(tag, out var parsed)) tag = parsed.Tag.ToString();
        if (long.TryParse(tag.Trim('"'), out var v) && v >= lowest)
        {
            version = v;
            return true;
        }
        error = $"If-Match '{raw}' is not a version of {what}: send the ETag of its last GET, e.g. If-Match: \"3\".";
        return false;
    }
}

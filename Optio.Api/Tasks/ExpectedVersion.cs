using Optio.Api.Core.Http;

namespace Optio.Api.Tasks;

/// <summary>Reads <c>If-Match: "3"</c> (or <c>W/"3"</c>, or a bare 3) as the version the caller last saw.</summary>
public static class ExpectedVersion
{
    public static bool TryRead(HttpRequest request, out long? version, out string? error) =>
        IfMatch.TryRead(request, "the task", lowest: 1, out version, out error);
}

using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Optio.Domain.Tickets;

namespace Optio.Api.Core.Http;

/// <summary>
/// One rule at the door for every JSON API route, before any endpoint runs: a body of at most
/// <see cref="MaxJsonBodyBytes"/>, not JSON <c>null</c>, and no text PostgreSQL cannot store (the NUL
/// character, unpaired surrogates) or longer than <see cref="TextLimits"/> allows, in the body or the
/// query string. Refusals are 400/413 problems naming the field; nothing reaches a handler.
/// </summary>
public static class RequestGuard
{
    public const int MaxJsonBodyBytes = 1024 * 1024;

    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api") || context.RequestServices.GetService<SignedRoutes>()?.Matches(request) == true)
        {
            await next(context);
            return;
        }
        if (QueryProblem(request.Query) is { } queryProblem)
        {
            await Problems.Write(context, 400, "Invalid request", queryProblem);
            return;
        }
        if (request.ContentLength is > MaxJsonBodyBytes)
        {
            await TooLarge(context);
            return;
        }
        if (request.HasJsonContentType() && request.ContentLength is not 0)
        {
            var body = await ReadBoundedAsync(request, MaxJsonBodyBytes, context.RequestAborted);
            if (body is null)
            {
                await TooLarge(context);
                return;
            }
            if (BodyProblem(body) is { } bodyProblem)
            {
                await Problems.Write(context, 400, "Invalid request", bodyProblem);
                return;
            }
            request.Body = new MemoryStream(body, writable: false);
            request.ContentLength = body.Length;
        }
        await next(context);
    });

    static Task TooLarge(HttpContext context) =>
        Problems.Write(context, 413, "Payload too large", $"A JSON body is at most {MaxJsonBodyBytes / 1024} KB here.");

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + 1L;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    /// <summary>What is wrong with the body's text, or null. Malformed JSON is left to the endpoint's own 400.</summary>
    internal static string? BodyProblem(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var path = new Stack<string>();
        string? property = null;
        try
        {
            if (!reader.Read()) return null;
            if (reader.TokenType == JsonTokenType.Null) return "The body must be a JSON object, not null.";
            do
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Push(property ?? (path.TryPeek(out var parent) ? parent : "$"));
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.TryPop(out _);
                        property = null;
                        break;
                    case JsonTokenType.String:
                        var field = property ?? (path.TryPeek(out var array) ? array : "$");
                        if (TextProblem(field, reader.GetString()!) is { } problem) return problem;
                        property = null;
                        break;
                    default:
                        property = null;
                        break;
                }
            } while (reader.Read());
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return $"'{property ?? "$"}' is not valid text (invalid UTF-8, or an unpaired surrogate escape): send UTF-8 JSON.";
        }
        return null;
    }

    static string? QueryProblem(IQueryCollection query)
    {
        foreach (var (name, values) in query)
            foreach (var value in values)
                if (value is not null && TextProblem(name, value, TextLimits.QueryValue) is { } problem)
                    return problem;
        return null;
    }

    static string? TextProblem(string field, string text, int? limit = null)
    {
        if (text.Contains('\0')) return $"'{field}' contains the NUL character (\\u0000), which Optio cannot store: remove it.";
        if (!StorableText.IsStorable(text)) return $"'{field}' contains an unpaired UTF-16 surrogate, which is not text: send valid Unicode.";
        var max = limit ?? TextLimits.For(field);
        return text.Length > max ? $"'{field}' is {text.Length} characters long; at most {max} are accepted." : null;
    }
}

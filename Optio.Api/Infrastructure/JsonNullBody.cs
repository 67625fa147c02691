using System.Text;

namespace Optio.Api.Infrastructure;

/// <summary>
/// A request body of JSON <c>null</c> deserialises without error into a null command, which no
/// endpoint expects: answer 400 before it reaches them. Other non-object bodies already fail to
/// deserialise and get a 400 from Wolverine.
/// </summary>
public static class JsonNullBody
{
    const int Longest = 64; // "null" padded with whitespace; anything longer is not just null

    public static IApplicationBuilder RefuseJsonNullBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentLength is > 0 and <= Longest && request.HasJsonContentType())
        {
            request.EnableBuffering();
            var buffer = new byte[Longest];
            var read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, context.RequestAborted);
            request.Body.Position = 0;
            if (Encoding.UTF8.GetString(buffer, 0, read).Trim() == "null")
            {
                await Problems.Write(context, StatusCodes.Status400BadRequest, "Invalid request", "The body must be a JSON object, not null.");
                return;
            }
        }
        await next(context);
    });
}

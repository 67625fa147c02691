using System.Net.Http.Json;
using System.Text.Json;

namespace Optio.Api.Integrations.Linear;

public sealed partial class LinearClient
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>POSTs one document and returns its <c>data</c>, or throws what Linear's answer means.</summary>
    async Task<T> SendAsync<T>(LinearSettings settings, string document, object variables, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ApiUrl)
        {
            Content = JsonContent.Create(new { query = document, variables }, options: Json),
        };
        request.Headers.TryAddWithoutValidation("Authorization", settings.AuthorizationHeader());
        request.Headers.Accept.ParseAdd("application/json");

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new LinearApiException($"Could not reach Linear at {settings.ApiUrl}: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new LinearApiException($"Linear at {settings.ApiUrl} did not answer in time.", inner: e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            var data = LinearResponse.ReadData(response, body, settings.ApiKey, TimeProvider.System.GetUtcNow());
            try
            {
                return data.Deserialize<T>(Json) ?? throw new JsonException("data is null");
            }
            catch (JsonException e)
            {
                throw new LinearApiException($"Linear's answer did not have the expected shape: {e.Message}", response.StatusCode, e);
            }
        }
    }
}

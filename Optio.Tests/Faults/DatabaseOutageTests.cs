using Alba;
using Optio.Tests.Infrastructure;
using Optio.Api.Core.Database;

namespace Optio.Tests.Faults;

[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public class DatabaseOutageTests
{
    [Fact]
    public async Task While_postgres_is_down_requests_get_503_and_the_service_recovers_by_itself()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"optio-outage-{Guid.NewGuid():N}", "data");
        var port = FreePort.Next();
        var pg = await LocalPostgres.StartAsync(dir, port); // durable settings: an immediate stop must not lose commits
        try
        {
            await pg.CreateDatabaseIfMissingAsync("optio");
            await using var host = await ApiHost.StartHostAsync(pg.ConnectionString("optio"), TimeProvider.System);
            var before = await host.CreateTaskAsync("accepted before the outage");

            await pg.StopAsync(immediate: true);
            var during = await host.Scenario(s =>
            {
                s.Post.Json(new { title = "during the outage", prompt = "p" }).ToUrl("/api/tasks");
                s.StatusCodeShouldBe(503);
            });
            Assert.Equal("5", during.Context.Response.Headers.RetryAfter.ToString());
            Assert.Contains("Retry", await during.ReadAsTextAsync());
            await host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(503); });

            pg = await LocalPostgres.StartAsync(dir, port); // durable settings: an immediate stop must not lose commits
            var after = await Eventually.Until(async () =>
            {
                var r = await host.Scenario(s => { s.Get.Url($"/api/tasks/{before.Id}"); s.IgnoreStatusCode(); });
                return r.Context.Response.StatusCode;
            }, status => status == 200, TimeSpan.FromSeconds(30), "the service to reach PostgreSQL again");
            Assert.Equal(200, after);
            Assert.Equal("accepted before the outage", (await host.GetTaskAsync(before.Id)).Title);
            await host.CreateTaskAsync("after the outage");
        }
        finally
        {
            await pg.StopAsync(immediate: true);
            try { Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true); } catch (IOException) { }
        }
    }
}

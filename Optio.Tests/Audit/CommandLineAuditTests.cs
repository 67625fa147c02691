using Alba;
using Npgsql;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Audit;

/// <summary>The auditor's commands, run as an operator runs them beside the service.</summary>
[Collection(AuditCollection.Name)]
public class CommandLineAuditTests(AuditHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Projections_verify_reports_no_difference_then_names_a_row_tampered_with_in_sql()
    {
        var task = await Host.CreateTaskAsync("Verify me");

        var healthy = await OptioCli.RunAsync(api.ConnectionString, "projections", "verify");
        Assert.True(healthy.ExitCode == 0, healthy.Output);
        Assert.Contains("0 differences", healthy.Output);

        var original = await TamperAsync(task.Id, "jsonb_set(data, '{title}', '\"Tampered\"')");
        try
        {
            var drifted = await OptioCli.RunAsync(api.ConnectionString, "projections", "verify");
            Assert.Equal(1, drifted.ExitCode);
            Assert.Contains($"row {task.Id} differs", drifted.Output);
            Assert.Contains("Tampered", drifted.Output);
            Assert.Contains("1 difference", drifted.Output);
        }
        finally
        {
            await TamperAsync(task.Id, $"'{original.Replace("'", "''")}'::jsonb");
        }
        await Host.Scenario(s => { s.Get.Url($"/health/ready"); s.StatusCodeShouldBe(200); });
    }

    [Fact]
    public async Task Task_shows_the_state_and_the_timeline_with_actor_and_cause_now_and_at_a_version()
    {
        var task = await Host.CreateTaskAsync("Timeline");
        await Host.FailAsync(task.Id, "broke");

        var now = await OptioCli.RunAsync(api.ConnectionString, "task", task.Id.ToString());
        var first = await OptioCli.RunAsync(api.ConnectionString, "task", task.Id.ToString(), "--version", "2");
        var unknown = await OptioCli.RunAsync(api.ConnectionString, "task", Guid.NewGuid().ToString());

        Assert.True(now.ExitCode == 0, now.Output);
        Assert.Contains("failed (version 3): broke", now.Output);
        foreach (var text in new[] { "task_created", "task_queued", "task_failed", "api:key-0", "request:" }) Assert.Contains(text, now.Output);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("queued (version 2)", first.Output);
        Assert.DoesNotContain("task_failed", first.Output);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No task", unknown.Output);
    }

    /// <summary>Sets the task's list row data to <paramref name="expression"/> in SQL, behind Optio's back; returns what it was.</summary>
    async Task<string> TamperAsync(Guid id, string expression)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var read = new NpgsqlCommand("select data::text from optio.mt_doc_tasksummary where id = $1", conn) { Parameters = { new() { Value = id } } };
        var before = (string)(await read.ExecuteScalarAsync())!;
        await using var write = new NpgsqlCommand($"update optio.mt_doc_tasksummary set data = {expression} where id = $1", conn) { Parameters = { new() { Value = id } } };
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
        return before;
    }
}

using Alba;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Api;

/// <summary>How many times a task command talks to PostgreSQL, counted on the real host from Npgsql's own spans.</summary>
[Collection(TasksCollection.Name)]
public class TaskRoundTripTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task A_task_command_costs_two_round_trips_fetch_and_save()
    {
        var task = await Host.CreateTaskAsync("counted");
        await Host.PostForTaskAsync($"/api/tasks/{task.Id}/cancel"); // code generation and connections warm
        using var commands = new DatabaseCommands();

        var (trace, traceparent) = DatabaseCommands.NewTrace();
        await Host.Scenario(s =>
        {
            s.Post.Json(new { reason = "counted" }).ToUrl($"/api/tasks/{task.Id}/retry");
            s.WithRequestHeader("traceparent", traceparent);
            s.StatusCodeShouldBeOk();
        });

        Assert.True(commands.In(trace).Count == 2, string.Join("\n---\n", commands.In(trace)));
    }

    [Fact]
    public async Task Creating_a_task_costs_one_round_trip()
    {
        await Host.CreateTaskAsync("warm");
        using var commands = new DatabaseCommands();

        var (trace, traceparent) = DatabaseCommands.NewTrace();
        await Host.Scenario(s =>
        {
            s.Post.Json(new { title = "counted", prompt = "count me" }).ToUrl("/api/tasks");
            s.WithRequestHeader("traceparent", traceparent);
            s.StatusCodeShouldBe(201);
        });

        Assert.True(commands.In(trace).Count == 1, string.Join("\n---\n", commands.In(trace)));
    }
}

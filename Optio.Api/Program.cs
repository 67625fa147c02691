using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Optio.Api.Infrastructure;
using Npgsql;
using Optio.Api.Secrets;
using Optio.Api.Tasks;
using Optio.Api.Tickets;
using Optio.Api.Tickets.CloseBack;
using Optio.Api.Tickets.Sync;
using Optio.Api.Webhooks;
using Optio.Api.Webhooks.Live;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Linear;
using Wolverine;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);

var connectionString = await DatabaseSetup.ResolveConnectionStringAsync(builder);
builder.Services.AddOptioEventStore(connectionString);
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Host.UseWolverine(opts =>
{
    opts.Policies.UseDurableLocalQueues();
    opts.Durability.ScheduledJobPollingTime = builder.Configuration.GetValue("Optio:ScheduledJobPolling", TimeSpan.FromSeconds(5));
    opts.PublishMessage<SyncProvider>().ToLocalQueue("sync").MaximumParallelMessages(2);
    opts.PublishMessage<CloseTicket>().ToLocalQueue("close-back");
});

builder.Services.AddWolverineHttp();
builder.Services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
});
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddOptioTelemetry(builder.Configuration);
builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgresql", tags: ["ready"]);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ApiKeyAuth>();
builder.Services.AddSingleton<TaskWriter>();
builder.Services.AddSingleton<LeaseExpiry>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LeaseExpiry>());
builder.Services.AddSingleton<SecretCipher>();
builder.Services.AddSingleton<SecretStore>();
builder.Services.AddSingleton<TicketImporter>();
builder.Services.AddSingleton<ProviderSync>();
builder.Services.AddSingleton<SyncSchedule>();
builder.Services.AddSingleton(CloseBackOptions.From(builder.Configuration));
builder.Services.AddOptioWebhooks(builder.Configuration);
builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncSchedule>());
builder.Services.AddSingleton<GitHubIssues>();
builder.Services.AddSingleton<GitHubAccess>();
builder.Services.AddSingleton<ITicketSource, GitHubTicketSource>();
builder.Services.AddSingleton<ITicketCloser, GitHubTicketCloser>();
builder.Services.AddHttpClient(LinearAccess.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
builder.Services.AddSingleton<LinearAccess>();
builder.Services.AddSingleton<ITicketSource, LinearTicketSource>();
builder.Services.AddSingleton<ITicketCloser, LinearTicketCloser>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiKeys();
app.MapOptioLiveEvents();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapOpenApi();
app.MapWolverineEndpoints(opts =>
{
    opts.RejectUnparseableQueryValues = true;
    opts.RejectUnparseableHeaderValues = true;
    opts.ApplyCorrelationIdHeaderToAllEndpoints = true;
});

return await app.RunJasperFxCommands(args);

public partial class Program;

using JasperFx;
using Npgsql;
using Optio.Api.Infrastructure;
using Optio.Api.PullRequests;
using Optio.Api.Tasks;
using Optio.Api.Tickets;
using Optio.Api.Webhooks;
using Optio.Api.Webhooks.Live;
using Wolverine;

var builder = WebApplication.CreateBuilder(args);
if (HttpPorts.RefuseBusyPort(builder, args)) return 2;

var connectionString = await DatabaseSetup.ResolveConnectionStringAsync(builder);
if (await ServicePresence.RefuseRebuildBesideServiceAsync(args, connectionString) is { } refused) return refused;
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptioEventStore(connectionString);
builder.Host.UseWolverine(opts => opts.ConfigureOptioMessaging(builder.Configuration));
builder.Services.AddOptioHttpApi(connectionString);
builder.Services.AddOptioTelemetry(builder.Configuration);

builder.Services.AddOptioTasks();
builder.Services.AddOptioTickets();
builder.Services.AddOptioPullRequests();
builder.Services.AddOptioWebhooks();

var app = builder.Build();
app.MapOptioHttpApi();
app.MapOptioLiveEvents();
return await app.RunJasperFxCommands(args);

public partial class Program;

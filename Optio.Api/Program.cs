using JasperFx;
using Npgsql;
using Optio.Api.Core;
using Optio.Api.Core.Audit;
using Optio.Api.Core.Database;
using Optio.Api.Core.Http;
using Optio.Api.Core.OperatorConsole;
using Optio.Api.Integrations;
using Optio.Api.Notifications;
using Optio.Api.Notifications.Live;
using Optio.Api.PullRequests;
using Optio.Api.Repos;
using Optio.Api.Tasks;
using Optio.Api.Tickets;
using Wolverine;

args = ProjectionCommands.Route(args);
var builder = WebApplication.CreateBuilder(args);
if (HttpPorts.RefuseBusyPort(builder, args)) return 2;

var connectionString = await DatabaseSetup.ResolveConnectionStringAsync(builder);
if (await ServicePresence.RefuseBesideServiceAsync(args, connectionString) is { } refused) return refused;

// Core: the database, messaging, HTTP and telemetry; it knows no feature.
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptioEventStore(connectionString);
builder.Services.AddOptioMessaging();
builder.Host.UseWolverine(opts => opts.ConfigureOptioMessaging(builder.Configuration));
builder.Services.AddOptioHttpApi(connectionString);
builder.Services.AddOptioTelemetry(builder.Configuration);

// The modules, each using only those above it.
builder.Services.AddOptioIntegrations();
builder.Services.AddOptioRepos();
builder.Services.AddOptioTasks();
builder.Services.AddOptioTickets();
builder.Services.AddOptioPullRequests();
builder.Services.AddOptioNotifications();

var app = builder.Build();
app.MapOptioHttpApi();
app.MapOptioLiveEvents();
app.MapOptioConsole();
return await app.RunJasperFxCommands(args);

public partial class Program;

using System.Net;
using System.Net.Sockets;

namespace Optio.Api.Core.Http;

/// <summary>
/// Checks the configured HTTP addresses before anything else starts, so a second instance on a
/// busy port fails at once with a message naming the port, before it touches any database.
/// </summary>
public static class HttpPorts
{
    /// <summary>The first configured address (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) something else already listens on.</summary>
    public static string? FirstBusy(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Port <= 0)
                continue;
            var address = uri.Host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (address is not null && !CanListen(address, uri.Port)) return url;
        }
        return null;
    }

    static bool CanListen(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    /// <summary>True (and a message on stderr) when the service would fail to bind: the caller exits with 2.</summary>
    public static bool RefuseBusyPort(WebApplicationBuilder builder, string[] args)
    {
        var runsTheService = args.Length == 0 || args[0].StartsWith('-') || args[0].Equals("run", StringComparison.OrdinalIgnoreCase);
        if (!runsTheService || FirstBusy(builder.Configuration) is not { } busy) return false;
        Console.Error.WriteLine(
            $"Optio cannot listen on {busy}: the port is already in use (another Optio running?). " +
            "Stop that process, or start this one on another port, e.g. --urls http://127.0.0.1:5081.");
        return true;
    }
}

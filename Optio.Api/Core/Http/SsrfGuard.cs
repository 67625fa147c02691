using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Optio.Api.Core.Http;

/// <summary>
/// Refuses to connect to loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT,
/// multicast, unspecified, "this network" (0/8), benchmarking (198.18/15), reserved (240/4), documentation
/// (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20), IPv6 unique-local / link-local / site-local
/// addresses, every address bound to one of this host's network interfaces (whatever its range), and the IPv6 forms
/// of refused IPv4 addresses (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
/// It checks the addresses the name resolves to when connecting, so DNS rebinding cannot slip past
/// a check made earlier. Networks in <c>Optio:Webhooks:AllowedNetworks</c> (CIDR) are let through.
/// </summary>
/// <param name="hostAddresses">This host's own addresses, read afresh on each check (interfaces come and go).</param>
public sealed class SsrfGuard(IReadOnlyList<IPNetwork> allowed, Func<IReadOnlyCollection<IPAddress>> hostAddresses)
{
    static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("3fff::/20"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"), IPNetwork.Parse("64:ff9b:1::/48"),
    ];

    // IPv6 addresses that carry an IPv4 address: IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
    static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>The guard of this host: <c>Optio:Webhooks:AllowedNetworks</c> let through, this host's interfaces refused.</summary>
    public SsrfGuard(IOptions<OutboundNetworkOptions> options) : this(options.Value.Networks, InterfaceAddresses)
    {
    }

    /// <summary>The unicast addresses of every network interface of this host, loopback included.</summary>
    public static IReadOnlyCollection<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => Comparable(u.Address))
            .ToHashSet();

    /// <summary>The addresses this guard refuses as the host's own.</summary>
    public IReadOnlyCollection<IPAddress> HostAddresses => hostAddresses();

    public bool IsAllowed(IPAddress address) => IsAllowed(address, hostAddresses());

    bool IsAllowed(IPAddress address, IReadOnlyCollection<IPAddress> own)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (allowed.Any(n => n.Contains(address))) return true;
        if (Forbidden.Any(n => n.Contains(address))) return false;
        if (own.Contains(Comparable(address))) return false;
        // An IPv6 form of an IPv4 address is as safe as the IPv4 address it carries.
        return EmbeddedIPv4(address) is not { } inner || IsAllowed(inner, own);
    }

    /// <summary>Without an IPv6 scope id, so fe80::1%eth0 and fe80::1 are the same address.</summary>
    static IPAddress Comparable(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : new IPAddress(address.GetAddressBytes());

    static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        var bytes = address.GetAddressBytes();
        if (IPv4Compatible.Contains(address) || Nat64.Contains(address)) return new IPAddress(bytes.AsSpan(12, 4));
        if (SixToFour.Contains(address)) return new IPAddress(bytes.AsSpan(2, 4));
        return null;
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve, check every address, connect to an allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var own = hostAddresses();
        var refused = addresses.Where(a => !IsAllowed(a, own)).ToList();
        if (addresses.Length == 0 || refused.Count > 0)
            throw new SsrfRefusedException(
                $"Refusing to connect to {host}: it resolves to {string.Join(", ", refused.DefaultIfEmpty(IPAddress.None))}, a private, loopback, link-local, reserved or documentation address, or one of this host's own. " +
                "Allow the network in Optio:Webhooks:AllowedNetworks if that is intended.");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

public sealed class SsrfRefusedException(string message) : Exception(message);

using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Configuration;
using Optio.Api.Core.Http;

namespace Optio.Tests.Webhooks;

/// <summary>The address table of the SSRF guard, with and without an allow-list.</summary>
public class SsrfGuardTests
{
    static readonly SsrfGuard Strict = Guard();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:192.168.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("fec0::1")]
    public void Private_loopback_link_local_and_their_ipv6_forms_are_refused(string address) =>
        Assert.False(Strict.IsAllowed(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("192.0.2.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.200")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:ffff::1")]
    [InlineData("3fff::1")]
    [InlineData("::ffff:203.0.113.5")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.254")]
    [InlineData("0.1.2.3")]
    [InlineData("240.0.0.1")]
    [InlineData("250.1.2.3")]
    public void Documentation_benchmarking_this_network_and_reserved_ranges_are_refused(string address) =>
        Assert.False(Strict.IsAllowed(IPAddress.Parse(address)), address);

    [Fact]
    public void An_address_bound_to_this_host_is_refused_whatever_its_range_unless_allow_listed()
    {
        var ownPublic = IPAddress.Parse("93.184.215.14");
        var onThisHost = new SsrfGuard([], () => [IPAddress.Loopback, ownPublic, IPAddress.Parse("2606:4700:4700::1111")]);

        Assert.False(onThisHost.IsAllowed(ownPublic));
        Assert.False(onThisHost.IsAllowed(IPAddress.Parse("::ffff:93.184.215.14")));
        Assert.False(onThisHost.IsAllowed(IPAddress.Parse("2606:4700:4700::1111")));
        Assert.True(onThisHost.IsAllowed(IPAddress.Parse("93.184.215.15")));
        Assert.True(new SsrfGuard([], () => [IPAddress.Loopback]).IsAllowed(ownPublic), "on a host without it, the same address is public");
        Assert.True(new SsrfGuard([IPNetwork.Parse("93.184.215.14/32")], () => [ownPublic]).IsAllowed(ownPublic));
    }

    [Fact]
    public void The_guard_refuses_every_address_of_this_hosts_interfaces()
    {
        var interfaces = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => new IPAddress(u.Address.GetAddressBytes())).ToList();
        Assert.Contains(IPAddress.Loopback, interfaces);

        Assert.Contains(IPAddress.Loopback, Strict.HostAddresses);
        foreach (var address in interfaces)
        {
            Assert.Contains(address, Strict.HostAddresses);
            Assert.False(Strict.IsAllowed(address), $"{address} is this host's own");
        }
    }

    [Fact]
    public async Task Connecting_to_this_hosts_own_address_is_refused()
    {
        var own = Strict.HostAddresses.FirstOrDefault(a => !IPAddress.IsLoopback(a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                  ?? IPAddress.Loopback;
        using var handler = new SocketsHttpHandler { ConnectCallback = Strict.ConnectAsync, UseProxy = false };
        using var client = new HttpClient(handler);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://{own}:9/"));
        Assert.IsType<SsrfRefusedException>(refused.InnerException);
        Assert.Contains(own.ToString(), refused.InnerException!.Message);
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(Strict.IsAllowed(IPAddress.Parse(address)), address);

    [Fact]
    public void An_allow_list_lets_exactly_its_networks_through()
    {
        var guard = Guard("127.0.0.0/8", "10.1.0.0/16");

        Assert.True(guard.IsAllowed(IPAddress.Parse("127.0.0.1")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("10.1.2.3")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.2.0.1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("::1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("169.254.169.254")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("192.168.0.1")));
    }

    [Fact]
    public async Task Connecting_checks_the_addresses_a_name_resolves_to()
    {
        using var handler = new SocketsHttpHandler { ConnectCallback = Strict.ConnectAsync, UseProxy = false };
        using var client = new HttpClient(handler);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://localhost:9/"));
        Assert.IsType<SsrfRefusedException>(refused.InnerException);
        Assert.Contains("localhost", refused.InnerException!.Message);
        Assert.Contains("Optio:Webhooks:AllowedNetworks", refused.InnerException.Message);
        var literal = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://[::ffff:169.254.169.254]/latest/meta-data/"));
        Assert.IsType<SsrfRefusedException>(literal.InnerException);
    }

    static SsrfGuard Guard(params string[] allowed) =>
        new(Microsoft.Extensions.Options.Options.Create(new OutboundNetworkOptions { AllowedNetworks = allowed }));
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Optio.Api.Webhooks.Outbound;

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
        SsrfGuard.From(new ConfigurationBuilder()
            .AddInMemoryCollection(allowed.Select((n, i) => new KeyValuePair<string, string?>($"Optio:Webhooks:AllowedNetworks:{i}", n)))
            .Build());
}

using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

public class TicketKeyTests
{
    [Fact]
    public void Name_based_guid_matches_the_RFC_version_5_vector()
    {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python's standard library.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), NameBasedGuid.Create(dns, "python.org"));
    }

    [Fact]
    public void Same_ticket_spelled_differently_maps_to_the_same_task()
    {
        var a = TicketKey.GitHub("Acme", "WebApp", 42);
        var b = TicketKey.Parse("GitHub:acme/webapp#42");
        Assert.Equal("github:acme/webapp#42", a.Value);
        Assert.Equal(a.TaskId, b.TaskId);
        Assert.Equal(5, a.TaskId.Version);
    }

    [Fact]
    public void Different_tickets_map_to_different_tasks()
    {
        Assert.NotEqual(TicketKey.GitHub("acme", "webapp", 42).TaskId, TicketKey.GitHub("acme", "webapp", 43).TaskId);
        Assert.NotEqual(TicketKey.GitHub("acme", "webapp", 42).TaskId, TicketKey.GitHub("acme", "api", 42).TaskId);
    }

    [Fact]
    public void Linear_keys_use_the_stable_issue_uuid()
    {
        var id = Guid.NewGuid();
        Assert.Equal($"linear:{id}", TicketKey.Linear(id).Value);
        Assert.Equal(TicketKey.Linear(id).TaskId, TicketKey.Parse($"linear:{id.ToString().ToUpperInvariant()}").TaskId);
    }

    [Theory]
    [InlineData("github:acme#42")]
    [InlineData("gitlab:acme/webapp#1")]
    [InlineData("linear:ENG-42")]
    [InlineData("nonsense")]
    public void Malformed_keys_are_refused_with_the_expected_shape(string value)
    {
        var error = Assert.Throws<FormatException>(() => TicketKey.Parse(value));
        Assert.Contains("github:owner/repo#42", error.Message);
    }
}

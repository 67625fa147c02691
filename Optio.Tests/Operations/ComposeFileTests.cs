using System.Text.RegularExpressions;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Operations;

/// <summary>docker-compose.yml read as text (no Docker engine here): what recreating a container must not lose.</summary>
public class ComposeFileTests
{
    static readonly IReadOnlyDictionary<string, string> Services = ReadServices();

    [Fact]
    public void The_secrets_key_comes_from_the_operator_so_recreating_the_api_container_keeps_secrets_readable()
    {
        Assert.Matches(@"Optio__SecretsKey:\s*""\$\{OPTIO_SECRETS_KEY:\?", Services["api"]);
    }

    [Fact]
    public void The_api_has_a_health_check_on_readiness()
    {
        Assert.Matches(@"healthcheck:\s*\n\s*test:.*/health/ready", Services["api"]);
    }

    [Fact]
    public void PostgreSQL_is_not_published_on_the_host()
    {
        Assert.DoesNotContain("ports:", Services["postgres"]);
    }

    /// <summary>Each service's block of lines under <c>services:</c>, by name.</summary>
    static Dictionary<string, string> ReadServices()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "docker-compose.yml"));
        var services = text[(text.IndexOf("\nservices:", StringComparison.Ordinal) + 1)..];
        services = Regex.Split(services, @"\n(?=\S)")[0];
        return Regex.Matches(services, @"^  (?<name>[\w-]+):\s*\n(?<body>(?:(?:    .*)?\n)*)", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["body"].Value);
    }
}

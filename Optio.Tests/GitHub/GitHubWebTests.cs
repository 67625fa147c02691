using Optio.Api.Integrations.GitHub;
using Optio.Domain.Repos;

namespace Optio.Tests.GitHub;

public class GitHubWebTests
{
    [Theory]
    [InlineData("https://api.github.com/", "https://github.com/")]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/")]
    [InlineData("https://ghe.example.com/api/v3", "https://ghe.example.com/")]
    [InlineData("https://api.acme.ghe.com/", "https://acme.ghe.com/")]
    [InlineData("http://127.0.0.1:4123/", "http://127.0.0.1:4123/")]
    public void The_web_host_is_the_api_host_without_its_api_part(string api, string web) =>
        Assert.Equal(new Uri(web), GitHubWeb.UrlOf(new Uri(api)));

    [Theory]
    [InlineData("https://ghe.example.com/Acme/WebApp/issues/42", "https://ghe.example.com/acme/webapp")]
    [InlineData("https://github.com/acme/webapp/issues/42", "https://github.com/acme/webapp")]
    public void An_issue_link_on_github_or_the_configured_enterprise_host_names_its_repo_and_number(string url, string repoUrl)
    {
        var link = GitHubUrl.IssueOn(GitHubWeb.UrlOf(new Uri("https://ghe.example.com/api/v3/")), url);
        Assert.Equal((repoUrl, 42), (link?.RepoUrl, link?.Number));
    }

    [Theory]
    [InlineData("https://other.example.com/acme/webapp/issues/42")]
    [InlineData("https://ghe.example.com/acme/webapp/pull/42")]
    [InlineData("https://ghe.example.com:8443/acme/webapp/issues/42")]
    public void Links_elsewhere_are_not_github_issues(string url) =>
        Assert.Null(GitHubUrl.IssueOn(new Uri("https://ghe.example.com/"), url));
}

using Optio.Domain.Repos;

namespace Optio.Tests.Domain;

public class GitHubUrlTests
{
    [Theory]
    [InlineData("https://github.com/Acme/WebApp", "https://github.com/acme/webapp")]
    [InlineData("HTTPS://www.GitHub.com/acme/webapp.git/", "https://github.com/acme/webapp")]
    [InlineData("http://github.example.com:8443/team/repo/", "https://github.example.com:8443/team/repo")]
    public void Repo_urls_normalise_case_suffix_slash_and_www(string input, string expected)
    {
        Assert.True(GitHubUrl.TryParseRepo(input, out var repo, out _));
        Assert.Equal(expected, repo.RepoUrl);
    }

    [Theory]
    [InlineData("ftp://github.com/acme/webapp")]
    [InlineData("https://github.com/acme")]
    [InlineData("https://user:pass@github.com/acme/webapp")]
    [InlineData("not a url")]
    public void Repo_urls_that_name_no_repository_are_refused(string input) =>
        Assert.False(GitHubUrl.TryParseRepo(input, out _, out _));

    [Fact]
    public void Pull_request_urls_parse_to_repo_and_number()
    {
        Assert.True(GitHubUrl.TryParsePullRequest("https://github.com/Acme/WebApp/pull/7", out var pr, out _));
        Assert.Equal(("https://github.com/acme/webapp", "acme", "webapp", 7), (pr.RepoUrl, pr.Owner, pr.Name, pr.Number));
        Assert.Equal("https://github.com/acme/webapp/pull/7", pr.ToString());
        Assert.False(GitHubUrl.TryParsePullRequest("https://github.com/acme/webapp/issues/7", out _, out _));
    }

    [Fact]
    public void A_pull_request_url_that_is_no_pull_request_says_what_was_expected()
    {
        Assert.False(GitHubUrl.TryParsePullRequest("https://github.com/acme/webapp", out _, out var error));
        Assert.Equal("'https://github.com/acme/webapp' is not a pull request URL (expected https://github.com/owner/repo/pull/42).", error);
    }

    [Theory]
    [InlineData("https://github.com/Acme/WebApp/issues/9", "https://github.com/acme/webapp")]
    [InlineData("https://gitlab.example.com/acme/webapp/issues/9", "https://gitlab.example.com/acme/webapp")]
    public void Issue_urls_on_any_host_name_their_repo_and_number(string url, string repoUrl)
    {
        var issue = GitHubUrl.Issue(url);
        Assert.Equal((repoUrl, "acme", "webapp", GitHubPage.Issue, 9), (issue?.RepoUrl, issue?.Owner, issue?.Name, issue?.Page, issue?.Number));
    }

    [Fact]
    public void An_enterprise_host_under_a_path_reads_issues_below_that_path()
    {
        var issue = GitHubUrl.IssueOn(new Uri("https://example.com/github/"), "http://example.com/github/acme/webapp/issues/3");
        Assert.Equal(("https://example.com/github/acme/webapp", "acme", "webapp", 3), (issue?.RepoUrl, issue?.Owner, issue?.Name, issue?.Number));
    }
}

using Microsoft.Extensions.Options;
using Optio.Api.Core.Http;

namespace Optio.Tests.Audit;

public class ApiKeyNamesTests
{
    static ApiKeyAuth Auth(Dictionary<string, string> keys) => new(Options.Create(new ApiKeysOptions { ApiKeys = keys }));

    [Fact]
    public void A_named_key_is_known_by_its_name_and_list_entries_as_key_n()
    {
        var auth = Auth(new() { ["ops"] = "k-ops", ["0"] = "k-first", ["1"] = "k-second", ["blank"] = " " });

        Assert.Equal(("ops", "key-0", "key-1"), (auth.NameOf("k-ops"), auth.NameOf("k-first"), auth.NameOf("k-second")));
        Assert.Null(auth.NameOf(" "));
        Assert.Null(auth.NameOf("k-other"));
    }

    [Fact]
    public void A_name_that_cannot_be_recorded_or_is_given_twice_is_named_at_start()
    {
        var problems = Problems(new() { ["has space"] = "a", ["key-0"] = "b", ["0"] = "c" });

        Assert.Contains(problems, p => p.StartsWith("Optio:ApiKeys:has space"));
        Assert.Contains(problems, p => p.Contains("two keys are both named 'key-0'"));
    }

    static List<string> Problems(Dictionary<string, string> keys) =>
        ApiKeysOptions.Problems(new ApiKeysOptions { ApiKeys = keys }, "Optio").ToList();
}

using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

public class StorableTextTests
{
    // Built in code: xunit's theory data would itself replace a lone surrogate before the test sees it.
    const char High = '\ud83d', Low = '\ude00';

    [Fact]
    public void Text_postgres_cannot_store_becomes_the_replacement_character()
    {
        Assert.Equal("plain", StorableText.Of("plain"));
        Assert.Equal("a\uFFFDb", StorableText.Of("a\0b"));
        Assert.Equal("lone \uFFFD high", StorableText.Of($"lone {High} high"));
        Assert.Equal("lone \uFFFD low", StorableText.Of($"lone {Low} low"));
        Assert.Equal("\uFFFD", StorableText.Of(High.ToString()));
        Assert.Equal($"reversed \uFFFD\uFFFD", StorableText.Of($"reversed {Low}{High}"));
        Assert.Equal($"pair {High}{Low} kept", StorableText.Of($"pair {High}{Low} kept"));
    }

    [Fact]
    public void Text_that_needs_nothing_is_the_same_instance()
    {
        var text = "nothing to repair";
        Assert.Same(text, StorableText.Of(text));
    }
}

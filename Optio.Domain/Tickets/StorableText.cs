namespace Optio.Domain.Tickets;

/// <summary>
/// Text from a ticket as Optio stores it: the NUL character and unpaired surrogates, which PostgreSQL
/// cannot store, become U+FFFD. Tickets are other people's words, so they are kept, not refused:
/// one odd issue must not stop a sync.
/// </summary>
public static class StorableText
{
    const char Replacement = '\uFFFD';

    /// <summary>Whether PostgreSQL can store <paramref name="text"/> as it is.</summary>
    public static bool IsStorable(string text) => !NeedsRepair(text);

    public static string Of(string text)
    {
        if (!NeedsRepair(text)) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i])) chars[i] = Replacement;
        }
        return new string(chars);
    }

    static bool NeedsRepair(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (text[i] == '\0' || char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}

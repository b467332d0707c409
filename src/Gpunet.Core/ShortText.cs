namespace Gpunet.Core;

/// <summary>Text held to a length: what an answer states, what a store keeps of another party's words.</summary>
public static class ShortText
{
    /// <summary><paramref name="text"/> when at most <paramref name="most"/> characters long; otherwise its beginning
    /// and "…", <paramref name="most"/> characters in all, never ending in half a surrogate pair.</summary>
    public static string Cut(string text, int most)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(most, 1);
        if (text.Length <= most)
            return text;
        var keep = most - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            keep--;
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}

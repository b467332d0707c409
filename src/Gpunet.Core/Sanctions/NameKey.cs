namespace Gpunet.Core.Sanctions;

/// <summary>A name prepared for comparison: its normalised words, and those words joined as written and sorted.</summary>
internal sealed class NameKey
{
    public NameKey(string name)
    {
        Tokens = NameNormalizer.Tokens(name);
        Joined = string.Join(' ', Tokens);
        Sorted = string.Join(' ', Tokens.Order(StringComparer.Ordinal));
    }

    /// <summary>The normalised words in the order written.</summary>
    public string[] Tokens { get; }

    /// <summary>The words joined by single spaces, as written.</summary>
    public string Joined { get; }

    /// <summary>The words in ordinal order joined by single spaces: the same for <c>KIM, Jong Un</c> and <c>Jong Un Kim</c>.</summary>
    public string Sorted { get; }

    /// <summary>Characters in either joined form (both have the same characters, only the word order differs).</summary>
    public int Length => Joined.Length;
}

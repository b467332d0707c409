namespace Gpunet.Core.Identity;

/// <summary>Why <see cref="ChallengeBook.TryIssue"/> issued no challenge.</summary>
public enum ChallengeRefusal
{
    /// <summary>Issued.</summary>
    None,

    /// <summary>The source already holds <see cref="ChallengeLimits.PerSource"/> open challenges.</summary>
    SourceBusy,

    /// <summary>The book holds <see cref="ChallengeLimits.MaxOpen"/> open challenges.</summary>
    Full,
}

/// <summary>Says why a challenge was not issued, in the words both sign-ins (customers', agents') use.</summary>
public static class ChallengeRefusalText
{
    /// <summary>The reason <paramref name="book"/> gave <paramref name="refusal"/>, without advice on what to do next.</summary>
    public static string Describe(this ChallengeRefusal refusal, ChallengeBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        return refusal.Describe(book.Limits);
    }

    /// <summary>The reason a book with <paramref name="limits"/> gave <paramref name="refusal"/>, without advice on what to do next.</summary>
    public static string Describe(this ChallengeRefusal refusal, ChallengeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return refusal switch
        {
            ChallengeRefusal.SourceBusy => $"{limits.PerSource} sign-ins are already in progress from your network",
            ChallengeRefusal.Full => "too many sign-ins are in progress",
            _ => "issued",
        };
    }
}

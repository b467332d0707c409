namespace Gpunet.Core.Sanctions;

/// <summary>Jaro-Winkler of each of one subject's words against listed words, remembered for one screen.</summary>
/// <remarks>Listed names repeat words (given names, LLC, TRADING), so aligning a subject against thousands of names
/// asks for the same pairs again and again. One instance per screen; not thread-safe.</remarks>
internal sealed class WordSimilarities(string[] subjectWords)
{
    private readonly Dictionary<string, double[]> _byListedWord = new(StringComparer.Ordinal);

    /// <summary>The subject's words.</summary>
    public string[] SubjectWords => subjectWords;

    /// <summary>Similarity of each subject word (same index) to <paramref name="listedWord"/>.</summary>
    public double[] To(string listedWord)
    {
        if (!_byListedWord.TryGetValue(listedWord, out var sims))
        {
            sims = new double[subjectWords.Length];
            for (var i = 0; i < sims.Length; i++)
                sims[i] = NameScorer.Similarity(subjectWords[i], listedWord);
            _byListedWord.Add(listedWord, sims);
        }

        return sims;
    }
}

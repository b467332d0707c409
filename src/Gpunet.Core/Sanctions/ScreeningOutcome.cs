namespace Gpunet.Core.Sanctions;

/// <summary>What a screen decided.</summary>
public enum ScreeningOutcome
{
    /// <summary>No listed name is close enough to need a look.</summary>
    Clear,

    /// <summary>A listed name is close; a person must decide before the subject is served.</summary>
    Review,

    /// <summary>A listed name matches and a date of birth or country agrees (or the entry has neither on file).</summary>
    Hit,
}

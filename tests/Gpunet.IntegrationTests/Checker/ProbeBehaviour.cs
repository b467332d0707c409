namespace Gpunet.IntegrationTests.Checker;

/// <summary>How <see cref="TestHostProbe"/> answers a capacity check.</summary>
internal enum ProbeBehaviour
{
    /// <summary>Computes every product and takes the claimed model's time.</summary>
    Honest,

    /// <summary>Commits to products with every row off by one.</summary>
    WrongProduct,

    /// <summary>Leaves the last claimed GPU out of its commitment.</summary>
    MissingGpu,

    /// <summary>Computes correctly at the speed of <see cref="TestHostProbe.ActualModel"/>.</summary>
    SlowerCard,

    /// <summary>Computes the square product of the seed (k = n) whatever inner size was asked: less work, in time.</summary>
    SquareProduct,

    /// <summary>Lets the deadline pass and never commits.</summary>
    NeverAnswers,

    /// <summary>A <see cref="SlowerCard"/> that holds its answers to a capacity check's pings long enough that the
    /// timing allowance (1.3 × the round trip) covers its lateness; other pings it answers at once.</summary>
    DelayedPing,
}

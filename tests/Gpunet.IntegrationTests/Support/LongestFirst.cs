using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Gpunet.IntegrationTests.Support.LongestFirst", "Gpunet.IntegrationTests")]

namespace Gpunet.IntegrationTests.Support;

/// <summary>A test class that takes tens of seconds in all (real processes, restarts, epochs on the wall clock): it
/// starts before the short ones.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class LongRunningAttribute : Attribute;

/// <summary>Runs the <see cref="LongRunningAttribute">long-running</see> test classes first, then the rest by name.</summary>
/// <remarks>The runner starts collections in this order as its threads (four: xunit.runner.json) free up, and a
/// class's tests run one after the other. In xUnit's own order the 2-minute fleet class started last and ran alone for
/// its last 83 s (a run of 2026-12-06); longest first, the short classes fill the other threads around it.</remarks>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private const string Prefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => IsLong(c) ? 0 : 1).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static bool IsLong(ITestCollection collection)
    {
        // A class without a [Collection] of its own is its own collection, named after the class.
        var name = collection.DisplayName;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var type = typeof(LongestFirst).Assembly.GetType(name[Prefix.Length..].Split(' ')[0]);
        return type?.IsDefined(typeof(LongRunningAttribute), inherit: false) == true;
    }
}

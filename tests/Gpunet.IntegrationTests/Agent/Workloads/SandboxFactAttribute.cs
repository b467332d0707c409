using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>A test of the process sandbox; skipped, with the reason, where bubblewrap cannot run, except under
/// <c>CI=true</c>, where the sandbox must be there (<c>.ci/install-bubblewrap</c>).</summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
            return;
        var runtime = new ProcessRuntime(Path.GetTempPath(), TimeProvider.System);
        if (!runtime.IsAvailable(out var reason))
            Skip = reason;
    }
}

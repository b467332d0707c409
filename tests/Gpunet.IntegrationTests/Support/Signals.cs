using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gpunet.IntegrationTests.Support;

/// <summary>POSIX signals to a child process: what an operator's <c>kill</c>, Ctrl+C or a dying machine does to it.</summary>
internal static class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Term = 15;
    public const int Cont = 18;
    public const int Stop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="process"/>, which must still run: once a child has
    /// ended and been reaped its id is free, and this machine's 32,768 ids come round within minutes of a test run (every
    /// thread takes one), so a signal by id to an ended child could reach any task, a thread of the test host included.</summary>
    public static void Send(Process process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.HasExited)
            throw new InvalidOperationException($"process {process.Id} has already ended (exit code {process.ExitCode}): no signal {signal} sent to its id");
        if (kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

using System.Runtime.InteropServices;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>POSIX signals to a child process: what an operator's <c>kill</c> or a dying machine does to it.</summary>
internal static class Signals
{
    public const int Kill = 9;
    public const int Term = 15;
    public const int Cont = 18;
    public const int Stop = 19;

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

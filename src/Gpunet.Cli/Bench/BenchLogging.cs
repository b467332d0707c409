using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gpunet.Cli.Bench;

/// <summary>How a benchmark's own coordinators log: warnings and errors only, and on standard error, so that standard
/// output holds the benchmark's table or its JSON alone (a script reads it whole; a coordinator's expected conflicts,
/// such as two coordinators appending to the audit log at once, are logged by EF as errors before they are retried).</summary>
internal static class BenchLogging
{
    public static void Quiet(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}

using Gpunet.Cli;
using Spectre.Console;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>--help</c> of every command and branch of the real command tree, run in process (one process per
/// command would take a minute); the tree is read from the help itself, so a new command is covered without a list.</summary>
public sealed class CliHelpTests
{
    [Fact]
    public async Task Help_EveryCommandAndBranch_PrintsUsageWithoutError()
    {
        var seen = new List<string>();
        var failures = new List<string>();
        var pending = new Queue<string[]>([[]]);
        while (pending.TryDequeue(out var path))
        {
            var name = string.Join(' ', ["gpunet", .. path]);
            seen.Add(name);
            string help;
            try
            {
                help = await HelpAsync(path);
            }
            catch (Exception e)
            {
                // A description with markup Spectre cannot read (an unescaped [) throws while the help is written.
                failures.Add($"{name} --help: {e.GetType().Name}: {e.Message}");
                continue;
            }

            if (!help.Contains("USAGE:", StringComparison.Ordinal))
                failures.Add($"{name} --help printed no usage:\n{help}");
            foreach (var sub in SubCommands(help))
                pending.Enqueue([.. path, sub]);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The walk reached the leaves, including the one that used to crash.
        Assert.Contains("gpunet kyc submit", seen);
        Assert.Contains("gpunet compliance policy validate", seen);
        Assert.Contains("gpunet wallet unstake", seen);
        Assert.True(seen.Count >= 45, string.Join(", ", seen));
    }

    private static async Task<string> HelpAsync(string[] path)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // Wide enough that no command name wraps onto the next line of the COMMANDS table.
        console.Profile.Width = 240;
        var status = await GpunetCli.RunAsync([.. path, "--help"], console);
        Assert.Equal(0, status);
        return writer.ToString();
    }

    /// <summary>The names in a help's COMMANDS section: each row starts four spaces in, then the name.</summary>
    private static IEnumerable<string> SubCommands(string help)
    {
        var inCommands = false;
        foreach (var line in help.Split('\n'))
        {
            if (line.StartsWith("COMMANDS:", StringComparison.Ordinal))
            {
                inCommands = true;
                continue;
            }

            if (!inCommands)
                continue;
            if (line.Length == 0 || !line.StartsWith(' '))
                break;
            if (line.StartsWith("    ", StringComparison.Ordinal) && line.Length > 4 && line[4] != ' ')
                yield return line[4..].Split(' ', 2)[0];
        }
    }
}

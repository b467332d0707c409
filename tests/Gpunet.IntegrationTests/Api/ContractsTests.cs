using System.Reflection;
using System.Reflection.Emit;
using Gpunet.Cli.Client;
using Gpunet.Coordinator;
using Gpunet.IntegrationTests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Gpunet.IntegrationTests.Api;

/// <summary>The REST shapes live in <c>Gpunet.Contracts</c>: the coordinator reads and writes no body of its own type,
/// and the CLI reads and sends none of the coordinator's types, so a client needs the contracts, never the server.</summary>
public sealed class ContractsTests
{
    private static readonly Assembly Coordinator = typeof(CoordinatorApp).Assembly;

    [Fact]
    public async Task CoordinatorApi_EveryBodyItReadsOrWrites_ComesFromContractsOrCore()
    {
        await using var c = await TestCoordinator.StartAsync();
        var endpoints = ((IEndpointRouteBuilder)c.App).DataSources.SelectMany(d => d.Endpoints).ToList();
        var bodies = endpoints.SelectMany(e => e.Metadata.OfType<IAcceptsMetadata>().Select(a => a.RequestType)
                .Concat(e.Metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.Type)))
            .OfType<Type>()
            .ToList();

        var shapes = Reachable(bodies).Where(t => t.Assembly.GetName().Name!.StartsWith("Gpunet.", StringComparison.Ordinal)).ToHashSet();

        // The walk sees requests, answers, and the shapes nested in them.
        Assert.Contains(typeof(OrderRequest), shapes);
        Assert.Contains(typeof(LeaseEventView), shapes);
        Assert.Contains(typeof(WebhookEvent), shapes);
        Assert.Empty(shapes.Where(t => t.Assembly == Coordinator).Select(t => t.FullName));
        Assert.All(shapes, t => Assert.Contains(t.Assembly.GetName().Name, new[] { "Gpunet.Contracts", "Gpunet.Core" }));
    }

    [Fact]
    public void CliClientAndCommands_JsonTheyReadOrSend_UsesNoCoordinatorType()
    {
        var cli = typeof(CoordinatorClient).Assembly.GetTypes().Where(t => t.Namespace is "Gpunet.Cli.Client" or "Gpunet.Cli.Commands");
        var used = cli.SelectMany(MethodReferences.Of).ToList();

        // Read: the type arguments of a JSON read or write (the CLI's client, System.Net.Http.Json, System.Text.Json).
        var json = used.Where(u => u.Member is MethodInfo { IsGenericMethod: true } m && IsJson(m.DeclaringType!)).ToList();
        var read = json.SelectMany(u => ((MethodInfo)u.Member).GetGenericArguments().SelectMany(MethodReferences.Expand).Select(t => (u.Method, Shape: t)))
            .ToList();
        // Sent: what a method that speaks JSON builds (a command that hosts the coordinator builds its options, not bodies).
        var speaking = json.Select(u => u.Method).ToHashSet();
        var sent = used.Where(u => u.OpCode == OpCodes.Newobj && speaking.Contains(u.Method))
            .SelectMany(u => MethodReferences.Expand(u.Member.DeclaringType!).Select(t => (u.Method, Shape: t)))
            .ToList();

        // The scan sees what the commands read and send (so an empty list below means something).
        Assert.Contains(read, r => r.Shape == typeof(HostView));
        Assert.Contains(read, r => r.Shape == typeof(KycSubmissionView));
        Assert.Contains(sent, s => s.Shape == typeof(OrderRequest));
        var fromCoordinator = read.Concat(sent).Where(u => u.Shape.Assembly == Coordinator).Select(u => $"{u.Method.DeclaringType!.FullName}.{u.Method.Name} uses {u.Shape.FullName}").Distinct().ToList();
        Assert.True(fromCoordinator.Count == 0, "shapes read or sent from the coordinator's types:\n" + string.Join("\n", fromCoordinator));
    }

    private static bool IsJson(Type type) =>
        type.Namespace is "Gpunet.Cli.Client" || (type.Namespace ?? "").StartsWith("System.Text.Json", StringComparison.Ordinal)
        || (type.Namespace ?? "").StartsWith("System.Net.Http.Json", StringComparison.Ordinal);

    // The types a body is made of: itself, its generic arguments and elements, and its properties' types, transitively.
    private static HashSet<Type> Reachable(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            foreach (var t in MethodReferences.Expand(Nullable.GetUnderlyingType(type) ?? type))
            {
                if (!seen.Add(t) || t.Assembly.GetName().Name?.StartsWith("Gpunet.", StringComparison.Ordinal) != true)
                    continue;
                foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    queue.Enqueue(p.PropertyType);
            }
        }

        return seen;
    }
}

using System.Reflection;
using System.Reflection.Emit;

namespace Gpunet.IntegrationTests.Api;

/// <summary>What a method's body refers to: every method, field and type token in its IL, resolved (generic
/// instantiations included), so an architecture test can see <c>GetAsync&lt;HostView&gt;</c> and <c>new OrderRequest</c>
/// inside async state machines and lambdas as well as in plain methods.</summary>
internal static class MethodReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Each instruction of each method and constructor <paramref name="type"/> declares that names a member
    /// or a type, with the method it is in and its opcode.</summary>
    public static IEnumerable<(MethodBase Method, OpCode OpCode, MemberInfo Member)> Of(Type type) =>
        type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)).SelectMany(Of);

    /// <summary><paramref name="type"/>, its generic arguments and element types, all the way down.</summary>
    public static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType()!))
                yield return t;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
                yield return t;
        }
    }

    private static IEnumerable<(MethodBase, OpCode, MemberInfo)> Of(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? unchecked((short)(0xFE00 | il[i + 1])) : il[i];
            var opCode = OpCodesByValue[value];
            i += il[i] == 0xFE ? 2 : 1;
            var operand = opCode.OperandType;
            if (operand is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
                yield return (method, opCode, method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments)!);
            i += operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }
    }
}

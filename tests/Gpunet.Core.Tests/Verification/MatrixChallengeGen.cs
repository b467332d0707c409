using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

/// <summary>Generators and oracles for the capacity-challenge tests.</summary>
internal static class MatrixChallengeGen
{
    /// <summary>A 32-byte seed.</summary>
    public static readonly Gen<byte[]> Seed = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), MatrixChallenge.SeedLength);

    /// <summary>Small sizes, odd and not multiples of 8 or 32 included, so every edge of the vector loops is crossed.</summary>
    public static readonly Gen<int> Size = Gen.Elements(16, 17, 23, 31, 32, 33, 40, 47, 64);

    public static MatrixChallenge Challenge(int seed, int size)
    {
        var bytes = new byte[MatrixChallenge.SeedLength];
        BitConverter.GetBytes(seed).CopyTo(bytes, 0);
        return new MatrixChallenge(bytes, size);
    }

    /// <summary>Inner sizes for rectangular challenges: below, at and above n, and past one of the CPU product's
    /// inner blocks (2,048), so that blocks are summed.</summary>
    public static readonly Gen<int> InnerSize = Gen.Elements(16, 17, 33, 100, 256, 2_100);

    /// <summary>The textbook triple loop, the oracle for the fast product.</summary>
    public static int[] NaiveProduct(sbyte[] a, sbyte[] b, int n) => NaiveProduct(a, b, n, n);

    /// <summary>The textbook triple loop for A n × k and B k × n.</summary>
    public static int[] NaiveProduct(sbyte[] a, sbyte[] b, int n, int k)
    {
        var c = new int[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0;
                for (var t = 0; t < k; t++)
                    sum += a[(i * k) + t] * b[(t * n) + j];
                c[(i * n) + j] = sum;
            }
        }

        return c;
    }
}

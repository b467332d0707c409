namespace Gpunet.Core.Verification;

/// <summary>Which rows a checker opens on one GPU in a capacity check: a uniform sample of every row of every product
/// the GPU computed.</summary>
/// <remarks>The sample is drawn over all products' rows as one set (<see cref="FreivaldsCheck.PickRows"/> on
/// products × n rows), not a fixed number per product: a host that skips a share q of its work, whole products or
/// rows within them, is caught with probability ≥ 1 − (1 − q)ˢ for s opened rows either way, and no product is
/// known in advance to be safe to skip. The seed is the checker's secret; the host learns the rows only after it has
/// committed to every product.</remarks>
public static class CapacityRowPlan
{
    /// <summary>The rows to open, ordered by product then row; <paramref name="openedRows"/> of them, or every row when
    /// the GPU computed fewer.</summary>
    /// <param name="size">n of each product.</param>
    /// <param name="products">Products the GPU computed.</param>
    /// <param name="openedRows">Rows to open on this GPU (the task's <c>opened_rows</c>).</param>
    /// <param name="checkerSeed">The checker's secret seed for this GPU.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, product count or row count below 1, or more rows in all
    /// than an int can count.</exception>
    public static IReadOnlyList<CapacityRowPick> Pick(int size, int products, int openedRows, ulong checkerSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(products);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(openedRows);
        var rows = (long)size * products;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, int.MaxValue, nameof(products));
        var picked = FreivaldsCheck.PickRows((int)rows, (int)Math.Min(openedRows, rows), checkerSeed);
        // PickRows is ascending over product-major indexes, so the picks come out ordered by product, then row.
        return [.. picked.Select(i => new CapacityRowPick(i / size, i % size))];
    }
}

namespace Gpunet.Protocol;

/// <summary>The inner sizes a capacity task means, once its zeros are read: a task from before the inner size (or a
/// square one) leaves them 0, which means k = n.</summary>
public sealed partial class CapacityTask
{
    /// <summary>k of each product computed: <c>inner_size</c>, or <c>size</c> when 0.</summary>
    public int Inner => InnerSize > 0 ? InnerSize : Size;

    /// <summary>k of the timing work: <c>timing_inner_size</c>, or <c>timing_size</c> when 0.</summary>
    public int TimingInner => TimingInnerSize > 0 ? TimingInnerSize : TimingSize;
}

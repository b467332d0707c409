namespace Gpunet.Coordinator.Leadership;

/// <summary>A duty's commit refused by the fence: another coordinator took the leader lease (a newer token) since the
/// duty began. Its transaction is rolled back; the new leader does the duty.</summary>
internal sealed class LeadershipLostException : Exception
{
    public LeadershipLostException()
        : base("this coordinator no longer leads the network")
    {
    }

    public LeadershipLostException(string message)
        : base(message)
    {
    }

    public LeadershipLostException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Refused for <paramref name="fence"/>.</summary>
    public static LeadershipLostException For(LeaderFence fence) =>
        new($"coordinator {fence.Holder} no longer leads with token {fence.Token}: another coordinator took the leader lease; nothing was written");
}

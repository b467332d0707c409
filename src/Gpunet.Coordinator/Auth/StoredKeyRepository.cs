using System.Xml.Linq;
using Gpunet.Coordinator.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Auth;

/// <summary>Keeps the network's token-protection key ring (ASP.NET Data Protection) in the shared store, so every
/// coordinator reads the same keys and a bearer token issued by one is accepted by all.</summary>
/// <remarks>
/// Written here rather than taken from <c>Microsoft.AspNetCore.DataProtection.EntityFrameworkCore</c>: that package logs
/// each key's XML, secret included, at Debug, and resolves a scoped context where the coordinator has a context factory.
/// This one never logs an element. The framework calls it synchronously (<see cref="IXmlRepository"/> has no async
/// form), rarely: when it reads the ring (at start, then about once a day) and when it makes a key.
/// </remarks>
internal sealed class StoredKeyRepository(IDbContextFactory<GpunetDb> dbFactory) : IXmlRepository
{
    // The context of the transaction that holds the ring's turn (KeyRingStartup), so the first key is written in it.
    private readonly AsyncLocal<GpunetDb?> _turn = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var record = new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) };
        if (_turn.Value is { } held)
        {
            held.DataProtectionKeys.Add(record);
            held.SaveChanges();
            return;
        }

        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(record);
        db.SaveChanges();
    }

    /// <summary>Runs <paramref name="write"/> with every element it stores written through <paramref name="db"/>
    /// (and its transaction).</summary>
    public T WritingThrough<T>(GpunetDb db, Func<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _turn.Value = db;
        try
        {
            return write();
        }
        finally
        {
            _turn.Value = null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Optio.Domain.Tickets;

/// <summary>RFC 9562 name-based UUIDs, version 5 (SHA-1): the same name in the same namespace, the same id.</summary>
public static class NameBasedGuid
{
    public static Guid Create(Guid ns, string name)
    {
        var hash = SHA1.HashData([.. ns.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes(name)]);
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

using System.Security.Cryptography;
using System.Text;
using Timeline.Domain.Time;

namespace Timeline.Api.Notifications.TookEffect;

/// <summary>
/// The message id of an announcement, derived from what it announces (instrument, change, effective time), so an
/// announcement published again after a crash carries the same id and a subscriber can tell.
/// </summary>
public static class AnnouncementIds
{
    public static Guid For(string policyId, string changeKey, DateTimeOffset effectiveAt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"timeline.took-effect\n{policyId}\n{changeKey}\n{Instants.Format(effectiveAt)}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: name-based, custom hash
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}

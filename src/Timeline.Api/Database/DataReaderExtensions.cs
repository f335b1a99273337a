using System.Data.Common;

namespace Timeline.Api.Database;

/// <summary>Reading nullable text columns: Npgsql cannot tell a nullable reference type from its annotation.</summary>
public static class DataReaderExtensions
{
    public static async Task<string?> GetStringOrNullAsync(this DbDataReader reader, int ordinal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return await reader.IsDBNullAsync(ordinal, cancellationToken) ? null : reader.GetString(ordinal);
    }
}

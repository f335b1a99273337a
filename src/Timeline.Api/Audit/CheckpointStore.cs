using Npgsql;

namespace Timeline.Api.Audit;

/// <summary>Keeps a copy of each checkpoint issued. The proof is the copy the auditor holds, not this one.</summary>
public sealed class CheckpointStore(AuditTables tables)
{
    public async Task SaveAsync(NpgsqlConnection connection, AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var command = new NpgsqlCommand(
            $"""
            insert into {tables.Checkpoints.Identifier.QualifiedName} (seq_id, head_hash, signed_at, algorithm, signature, public_key)
            values (@seq, @hash, @signed_at, @algorithm, @signature, @public_key)
            on conflict (seq_id) do nothing
            """,
            connection);
        command.Parameters.AddWithValue("seq", checkpoint.Sequence);
        command.Parameters.AddWithValue("hash", checkpoint.HeadHash);
        command.Parameters.AddWithValue("signed_at", DateTimeOffset.Parse(checkpoint.SignedAt, System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("algorithm", checkpoint.Algorithm);
        command.Parameters.AddWithValue("signature", checkpoint.Signature);
        command.Parameters.AddWithValue("public_key", checkpoint.PublicKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

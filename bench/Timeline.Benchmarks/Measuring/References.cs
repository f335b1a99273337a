using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Timeline.Domain.Policies;
using Weasel.Core;

namespace Timeline.Benchmarks.Measuring;

/// <summary>
/// The references the write and rebuild paths are held against, on the same database: the physical limit (raw
/// binary COPY of the same rows into a plain table; a raw sequential read of the events table; a one-row insert
/// and commit) and the peer (plain Marten Quick appends of the same events, no projection, no chain).
/// </summary>
public static class References
{
    private const int Page = 50_000;

    /// <summary>
    /// The same events appended by a plain Marten store in schema <c>peer</c>, <paramref name="batchSize"/> events per
    /// SaveChanges: events per second, and the CPU the appends cost this process and PostgreSQL per 1,000 events.
    /// </summary>
    public static async Task<(double EventsPerSecond, double ServiceCpu, double DatabaseCpu)> PlainMartenAppendsAsync(IDocumentStore source, string connectionString, int batchSize)
    {
        using var peer = DocumentStore.For(options =>
        {
            options.Connection(connectionString);
            options.DatabaseSchemaName = "peer";
            options.AutoCreateSchemaObjects = AutoCreate.All;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsInteger, Casing.CamelCase, json => PolicyJson.Configure(json));
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.Events.AppendMode = EventAppendMode.Quick;
            foreach (var (type, name) in PolicyEventTypes.All)
            {
                options.Events.MapEventType(type, name);
            }
        });
        await peer.Advanced.Clean.CompletelyRemoveAllAsync();
        await peer.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        long appended = 0;
        var appending = new Stopwatch();
        var cpu = new CpuMeter();
        await using var reader = source.QuerySession();
        for (long from = 0; ; from += Page)
        {
            var upTo = from + Page;
            var events = await reader.Events.QueryAllRawEvents().Where(e => e.Sequence > from && e.Sequence <= upTo).OrderBy(e => e.Sequence).ToListAsync();
            if (events.Count == 0 && from >= await MaxSequenceAsync(reader))
            {
                break;
            }

            foreach (var chunk in events.Chunk(batchSize))
            {
                cpu.Start();
                appending.Start();
                await using var session = peer.LightweightSession();
                foreach (var stream in chunk.GroupBy(e => e.StreamKey!, StringComparer.Ordinal))
                {
                    session.Events.Append(stream.Key, [.. stream.Select(e => e.Data)]);
                }

                await session.SaveChangesAsync();
                appending.Stop();
                cpu.Stop();
                appended += chunk.Length;
            }
        }

        var (service, database) = cpu.PerThousand(appended);
        return (appended / appending.Elapsed.TotalSeconds, service, database);
    }

    /// <summary>The events' rows copied by Npgsql's binary COPY into a plain table without indexes or constraints.</summary>
    public static async Task<double> RawCopyRowsPerSecondAsync(NpgsqlDataSource dataSource)
    {
        await using (var create = dataSource.CreateCommand(
            "create schema if not exists bench; drop table if exists bench.raw_events; " +
            "create table bench.raw_events (seq_id bigint, id uuid, stream_id text, version bigint, type text, data jsonb, \"timestamp\" timestamptz, correlation_id text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        long copied = 0;
        var copying = new Stopwatch();
        await using var connection = await dataSource.OpenConnectionAsync();
        for (long from = 0; ; from += Page)
        {
            var rows = new List<(long, Guid, string, long, string, string, DateTime, string?)>(Page);
            await using (var read = new NpgsqlCommand(
                "select seq_id, id, stream_id, version, type, data::text, \"timestamp\", correlation_id from timeline.mt_events where seq_id > $1 and seq_id <= $2 order by seq_id", connection))
            {
                read.Parameters.Add(new NpgsqlParameter { Value = from });
                read.Parameters.Add(new NpgsqlParameter { Value = from + Page });
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetDateTime(6), await reader.IsDBNullAsync(7) ? null : reader.GetString(7)));
                }
            }

            if (rows.Count == 0)
            {
                await using var max = new NpgsqlCommand("select coalesce(max(seq_id), 0) from timeline.mt_events", connection);
                if (from >= (long)(await max.ExecuteScalarAsync())!)
                {
                    break;
                }

                continue;
            }

            copying.Start();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "copy bench.raw_events (seq_id, id, stream_id, version, type, data, \"timestamp\", correlation_id) from stdin (format binary)"))
            {
                foreach (var (seq, id, stream, version, type, data, timestamp, correlation) in rows)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(seq, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(stream, NpgsqlDbType.Text);
                    await copy.WriteAsync(version, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(type, NpgsqlDbType.Text);
                    await copy.WriteAsync(data, NpgsqlDbType.Jsonb);
                    await copy.WriteAsync(timestamp, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(correlation, NpgsqlDbType.Text);
                }

                await copy.CompleteAsync();
            }

            copying.Stop();
            copied += rows.Count;
        }

        return copied / copying.Elapsed.TotalSeconds;
    }

    /// <summary>Every row of the events table read in sequence order, as a rebuild must: the floor under a rebuild's time.</summary>
    public static async Task<double> RawSequentialReadEventsPerSecondAsync(NpgsqlDataSource dataSource)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0, bytes = 0;
        await using var command = dataSource.CreateCommand(
            "select seq_id, id, stream_id, version, type, data::text, \"timestamp\" from timeline.mt_events order by seq_id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows++;
            bytes += reader.GetString(5).Length + reader.GetString(2).Length;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One row inserted and committed per transaction, <paramref name="count"/> times: the floor under a single write's latency.</summary>
    public static async Task<Percentiles> SingleRowInsertCommitAsync(NpgsqlDataSource dataSource, int count)
    {
        await using (var create = dataSource.CreateCommand(
            "create schema if not exists bench; create table if not exists bench.single_rows (id bigserial primary key, stream_id text, data jsonb, at timestamptz default now())"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var sample = new List<double>(count);
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("insert into bench.single_rows (stream_id, data) values ($1, $2::jsonb)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = $"single-{i}" });
            insert.Parameters.Add(new NpgsqlParameter { Value = """{"effectiveAt":"2024-01-01","set":{"fee":1}}""" });
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            sample.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Percentiles.Of(sample);
    }

    private static async Task<long> MaxSequenceAsync(IQuerySession session)
    {
        var max = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync();
        return max;
    }
}

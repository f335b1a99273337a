using System.Globalization;
using System.Text;
using Npgsql;

namespace Timeline.Benchmarks.Measuring;

/// <summary>The statements that took the database's time (pg_stat_statements), printed and saved as evidence.</summary>
public static class Profile
{
    public static async Task TopStatementsAsync(NpgsqlDataSource dataSource, string file)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        try
        {
            await using (var create = dataSource.CreateCommand("create extension if not exists pg_stat_statements"))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var command = dataSource.CreateCommand(
                "select calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) " +
                "from pg_stat_statements order by total_exec_time desc limit 12");
            var text = new StringBuilder("calls | total ms | mean ms | rows | statement\n");
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)} | {reader.GetDecimal(1)} | {reader.GetDecimal(2)} | {reader.GetInt64(3)} | {reader.GetString(4)}");
                }
            }

            await File.WriteAllTextAsync(file, text.ToString());
            Console.WriteLine("  database time by statement (pg_stat_statements):");
            foreach (var line in text.ToString().Split('\n').Take(8))
            {
                Console.WriteLine("    " + line);
            }

            await using var reset = dataSource.CreateCommand("select pg_stat_statements_reset()");
            await reset.ExecuteNonQueryAsync();
        }
        catch (PostgresException exception)
        {
            Console.WriteLine($"  pg_stat_statements unavailable: {exception.MessageText}");
        }
    }
}

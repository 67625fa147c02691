using Npgsql;

namespace Optio.Tests.Infrastructure;

/// <summary>How much Optio has stored: a refused request must not change it.</summary>
public static class StoredRows
{
    /// <summary>
    /// Rows in every Optio table: events, streams and documents; not the delivery scheduler's memory of each task, which
    /// it keeps up in the background for events stored earlier, as it does its progress.
    /// </summary>
    public static async Task<long> CountAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var tables = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'optio' and table_type = 'BASE TABLE'", conn);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        long total = 0;
        foreach (var name in names.Where(n => n.StartsWith("mt_doc_") && n != "mt_doc_scheduledtask" || n is "mt_events" or "mt_streams"))
        {
            await using var count = new NpgsqlCommand($"select count(*) from optio.\"{name}\"", conn);
            total += (long)(await count.ExecuteScalarAsync())!;
        }
        return total;
    }
}

using System.Diagnostics;
using Npgsql;

namespace Optio.Api.Core.Database;

/// <summary>
/// A PostgreSQL cluster run from the machine's own binaries in a directory of ours: the default
/// database when no connection string is configured, and the throwaway database of the tests.
/// Works as root (initdb refuses root, so the cluster belongs to the <c>postgres</c> user).
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    readonly string _bin;
    readonly string _dataDir;
    readonly bool _asPostgresUser;

    /// <summary>True when this process started the cluster. Only then does it stop it: a cluster found running belongs to whoever started it.</summary>
    public bool StartedHere { get; private set; }

    public int Port { get; }

    LocalPostgres(string bin, string dataDir, int port)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
        _asPostgresUser = Environment.UserName == "root";
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    /// <summary>Starts the cluster in <paramref name="dataDir"/>, creating it first if needed; reuses one already running.</summary>
    public static async Task<LocalPostgres> StartAsync(string dataDir, int port, bool throwaway = false)
    {
        var pg = new LocalPostgres(FindBinaries(), Path.GetFullPath(dataDir), port);
        await pg.EnsureStartedAsync(throwaway);
        return pg;
    }

    public async Task CreateDatabaseIfMissingAsync(string database)
    {
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", conn)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "")}\"", conn);
            try { await create.ExecuteNonQueryAsync(); }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase) { }
        }
    }

    async Task EnsureStartedAsync(bool throwaway)
    {
        if (!File.Exists(Path.Combine(_dataDir, "PG_VERSION")))
        {
            Directory.CreateDirectory(_dataDir);
            GiveToPostgresUser(_dataDir);
            await RunAsync("initdb", $"-D \"{_dataDir}\" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8");
        }
        // A cluster already running in our directory belongs to the process that started it: it is used
        // as it is and left running. One whose starter is gone (killed) is taken over, so it stops with us.
        if (IsRunning())
        {
            if (!ClusterOwner.IsAlive(OwnerFile)) TakeOwnership();
            return;
        }
        var options = $"-p {Port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200";
        if (throwaway) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        try
        {
            await RunAsync("pg_ctl", $"-D \"{_dataDir}\" -w -t 60 -l \"{Path.Combine(_dataDir, "server.log")}\" -o \"{options}\" start");
            TakeOwnership();
        }
        catch (InvalidOperationException) when (IsRunning())
        {
            // Another process started it at the same moment: it is theirs.
        }
    }

    string OwnerFile => _dataDir.TrimEnd('/') + ".owner";

    void TakeOwnership()
    {
        ClusterOwner.Write(OwnerFile);
        StartedHere = true;
    }

    bool IsRunning() =>
        File.Exists(Path.Combine(_dataDir, "postmaster.pid")) &&
        RunAsync("pg_ctl", $"-D \"{_dataDir}\" status", throwOnError: false).GetAwaiter().GetResult() == 0;

    /// <summary>Stops the cluster if this process started it; a cluster found running is left alone.</summary>
    public async Task StopAsync(bool immediate = false)
    {
        if (!StartedHere) return;
        StartedHere = false;
        ClusterOwner.Release(OwnerFile);
        await RunAsync("pg_ctl", $"-D \"{_dataDir}\" -m {(immediate ? "immediate" : "fast")} -w stop", throwOnError: false);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    async Task<int> RunAsync(string tool, string arguments, bool throwOnError = true)
    {
        var exe = Path.Combine(_bin, tool);
        var psi = _asPostgresUser
            ? new ProcessStartInfo("runuser", $"-u postgres -- \"{exe}\" {arguments}")
            : new ProcessStartInfo(exe, arguments);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.WorkingDirectory = "/tmp";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{tool} failed with exit code {process.ExitCode}: {await stderr}{await stdout}".Trim());
        return process.ExitCode;
    }

    void GiveToPostgresUser(string dir)
    {
        if (!_asPostgresUser) return;
        using var chown = Process.Start("chown", $"-R postgres:postgres \"{dir}\"");
        chown.WaitForExit();
    }

    /// <summary>The newest PostgreSQL on this machine (Debian's layout), or the one named by OPTIO_PG_BIN.</summary>
    static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("OPTIO_PG_BIN") is { Length: > 0 } configured)
            return configured;
        var root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            "No PostgreSQL binaries found under /usr/lib/postgresql. Install them (apt-get install -y postgresql), " +
            "set OPTIO_PG_BIN to their directory, or configure ConnectionStrings:Optio to use an existing server.");
    }

    /// <summary>
    /// A directory the <c>postgres</c> user can reach: the preferred one when every parent is
    /// traversable by others (or we are not root), else one under /var/tmp keyed by the preferred path.
    /// </summary>
    public static string ReachableDataDir(string preferred)
    {
        preferred = Path.GetFullPath(preferred);
        if (Environment.UserName != "root" || OperatingSystem.IsWindows()) return preferred;
        for (var dir = Path.GetDirectoryName(preferred); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir) && !File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(preferred)))[..12].ToLowerInvariant();
                return Path.Combine("/var/tmp", $"optio-{key}", Path.GetFileName(preferred));
            }
        }
        return preferred;
    }
}

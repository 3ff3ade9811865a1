using System.Text.Json;
using Npgsql;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;

namespace OpsRunbook.Core.Tests;

/// <summary>
/// The sandbox of real services started by build.ps1 (tests/sandbox/Sandbox.psm1). Tests that need a
/// service read its config from here; when the sandbox is not running they fail with a message saying
/// how to start it, never skip.
/// </summary>
public static class Sandbox
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Directory => System.Environment.GetEnvironmentVariable("OPSRUNBOOK_SANDBOX_DIR") is { Length: > 0 } d ? d : Path.Combine(RepoRoot, ".sandbox");

    public static string ConfigPath => Path.Combine(Directory, "ops.yaml");

    private static readonly Lazy<Dictionary<string, string>> SecretsLazy = new(() =>
    {
        var file = Path.Combine(Directory, "secrets.json");
        if (!File.Exists(file)) throw new InvalidOperationException($"The sandbox is not set up ({file} is missing). Start it: dotnet pwsh ./build.ps1 Sandbox");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))!;
    });

    /// <summary>The sandbox's secrets (DB_PASSWORD, REDIS_PASSWORD...), as the environment would hold them.</summary>
    public static IReadOnlyDictionary<string, string> Secrets => SecretsLazy.Value;

    public static string? GetVariable(string name) => Secrets.TryGetValue(name, out var v) ? v : System.Environment.GetEnvironmentVariable(name);

    public static EnvironmentConfig Environment(string? name = null)
    {
        if (!File.Exists(ConfigPath)) throw new InvalidOperationException($"The sandbox is not running ({ConfigPath} is missing). Start it: dotnet pwsh ./build.ps1 Sandbox");
        return ConfigLoader.Load(ConfigPath, GetVariable).GetEnvironment(name);
    }

    /// <summary>Creates an empty database of its own on the sandbox server (so a test's locks and tables disturb no other) and returns its config.</summary>
    public static async Task<PostgresConfig> CreateScratchDatabaseAsync(string name)
    {
        var pg = Environment().Postgres!;
        await using (var admin = await PgConnector.OpenAsync(pg, new PgConnectOptions { Database = "postgres" }, CancellationToken.None))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
            await create.ExecuteNonQueryAsync();
        var scratch = pg.WithLogin(pg.Username, pg.Password);
        scratch.Database = name;
        return scratch;
    }

    /// <summary>Drops a database made by <see cref="CreateScratchDatabaseAsync"/>, closing its sessions.</summary>
    public static async Task DropScratchDatabaseAsync(string name)
    {
        await using var admin = await PgConnector.OpenAsync(Environment().Postgres!, new PgConnectOptions { Database = "postgres" }, CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "OpsRunbook.sln"))) return d.FullName;
        throw new InvalidOperationException("Cannot find the repository root (OpsRunbook.sln) above " + AppContext.BaseDirectory);
    }
}

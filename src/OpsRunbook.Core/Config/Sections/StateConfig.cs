namespace OpsRunbook.Core.Config;

/// <summary>
/// state: where the runbook keeps what must outlive one session (health history, replay ledger, incidents...).
/// path: the SQLite file (default $XDG_DATA_HOME/opsrunbook/state.db, else ~/.local/share/opsrunbook/state.db);
/// postgres: keep the same tables in a PostgreSQL database instead (the postgres section's keys), in schema
/// (default opsrunbook); healthRetention: how long health results are kept (default 400d).
/// </summary>
public sealed class StateConfig : IValidatableConfig
{
    /// <summary>The SQLite file; empty: the default path.</summary>
    public string Path { get; set; } = "";
    /// <summary>Keep the tables in this PostgreSQL database instead of a SQLite file.</summary>
    public PostgresConfig? Postgres { get; set; }
    /// <summary>The PostgreSQL schema that holds the tables (with state.postgres).</summary>
    public string Schema { get; set; } = "opsrunbook";
    /// <summary>Health results older than this are pruned when a run stores results.</summary>
    public TimeSpan HealthRetention { get; set; } = TimeSpan.FromDays(400);

    public void Validate(ConfigValidationContext c)
    {
        if (Path.Length > 0 && !System.IO.Path.IsPathFullyQualified(Path) && !Path.StartsWith('~'))
            c.Error("path", $"'path' must be an absolute path (or start with ~/), not '{Path}'.", ConfigProblemKind.BadValue);
        if (Path.Length > 0 && Postgres is not null)
            c.Error("path", "'path' and 'postgres' are exclusive: the store is either a SQLite file or a PostgreSQL schema.", ConfigProblemKind.BadValue);
        if (!System.Text.RegularExpressions.Regex.IsMatch(Schema, "^[a-z_][a-z0-9_]{0,62}$"))
            c.Error("schema", $"'schema' must be a lower-case identifier, not '{Schema}'.", ConfigProblemKind.BadValue);
        if (HealthRetention <= TimeSpan.Zero)
            c.Error("healthRetention", "'healthRetention' must be a positive duration such as 400d.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => Postgres is not null ? $"PostgreSQL {Postgres} schema {Schema}" : $"SQLite {(Path.Length > 0 ? Path : "(default path)")}";
}

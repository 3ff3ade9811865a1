namespace OpsRunbook.Core.Config;

/// <summary>
/// maintenance: tables (Invoke-DbMaintenance's default tables), lockTimeoutSeconds and
/// statementTimeoutSeconds (0 = no limit), reindexConcurrently; for maintenance windows (Start-OpsMaintenance):
/// flagPath (the file the site shows a maintenance page for), workers (names of services: entries, docker or
/// systemd, stopped for the window), backup (take a backup when the window opens; default true).
/// </summary>
public sealed class MaintenanceConfig : IValidatableConfig
{
    public List<string> Tables { get; set; } = new() { "media_items", "embeddings", "search_history" };
    /// <summary>lock_timeout for maintenance statements: they give up rather than queue behind a lock.</summary>
    public int LockTimeoutSeconds { get; set; } = 10;
    /// <summary>statement_timeout for maintenance statements; 0 means none.</summary>
    public int StatementTimeoutSeconds { get; set; } = 3600;
    /// <summary>REINDEX TABLE CONCURRENTLY (writes never blocked) unless false.</summary>
    public bool ReindexConcurrently { get; set; } = true;
    /// <summary>The maintenance flag file (e.g. /var/www/maintenance.flag): written when a window opens, removed when it closes.</summary>
    public string? FlagPath { get; set; }
    /// <summary>Services (by name, from services:, kind docker or systemd) stopped while a window is open.</summary>
    public List<string> Workers { get; set; } = new();
    /// <summary>Take a backup (Backup-OpsDatabase) when a window opens.</summary>
    public bool Backup { get; set; } = true;

    public void Validate(ConfigValidationContext c)
    {
        if (Tables.Count == 0) c.Error("tables", "'tables' lists no tables; list the tables to maintain or leave the key out for the default.", ConfigProblemKind.BadValue);
        foreach (var t in Tables)
            if (string.IsNullOrWhiteSpace(t)) c.Error("tables", "'tables' has an empty entry.", ConfigProblemKind.BadValue);
        if (LockTimeoutSeconds < 0) c.Error("lockTimeoutSeconds", $"'lockTimeoutSeconds' must be 0 or more, not {LockTimeoutSeconds}.", ConfigProblemKind.BadValue);
        if (StatementTimeoutSeconds < 0) c.Error("statementTimeoutSeconds", $"'statementTimeoutSeconds' must be 0 or more, not {StatementTimeoutSeconds}.", ConfigProblemKind.BadValue);
        if (FlagPath is { Length: > 0 } && !System.IO.Path.IsPathFullyQualified(FlagPath))
            c.Error("flagPath", $"'flagPath' must be an absolute path, not '{FlagPath}'.", ConfigProblemKind.BadValue);
        foreach (var w in Workers)
            if (string.IsNullOrWhiteSpace(w)) c.Error("workers", "'workers' has an empty entry.", ConfigProblemKind.BadValue);
        if (LockTimeoutSeconds == 0) c.Warning("lockTimeoutSeconds", "'lockTimeoutSeconds' is 0: maintenance may queue behind a lock forever and block writers queued behind it.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => $"{string.Join(", ", Tables)} (lock {LockTimeoutSeconds}s, statement {StatementTimeoutSeconds}s)";
}

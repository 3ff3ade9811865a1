namespace OpsRunbook.Core.Config;

/// <summary>
/// backup: maximumAge, warningAge, minimumSizeBytes (freshness, after Barman's last_backup_maximum_age and
/// last_backup_minimum_size), databases (default: postgres.database), pgBinDirectory (where pg_dump and
/// pg_restore live; default: $OPSRUNBOOK_PG_BIN, the newest /usr/lib/postgresql/*/bin, then PATH),
/// restoreJobs (pg_restore -j), scratchPrefix (scratch database names for restore tests), partSizeMB,
/// restoreTimeoutMinutes (the bound of one pg_restore run), lockWaitTimeoutSeconds (pg_dump --lock-wait-timeout),
/// restoreTempDirectory (where a restore test downloads the dump; default: the system temporary directory).
/// </summary>
public sealed class BackupConfig : IValidatableConfig
{
    /// <summary>The newest backup older than this is Critical (Barman: last_backup_maximum_age).</summary>
    public TimeSpan MaximumAge { get; set; } = TimeSpan.FromHours(26);
    /// <summary>The newest backup older than this is a Warning; default: three quarters of maximumAge.</summary>
    public TimeSpan? WarningAge { get; set; }
    /// <summary>The newest backup smaller than this is a Warning (Barman: last_backup_minimum_size).</summary>
    public long MinimumSizeBytes { get; set; } = 1024;
    /// <summary>Databases whose backups are checked; default: the postgres section's database.</summary>
    public List<string> Databases { get; set; } = new();
    public string PgBinDirectory { get; set; } = "";
    public int RestoreJobs { get; set; } = 2;
    public string ScratchPrefix { get; set; } = "opsrunbook_restore_";
    /// <summary>Multipart upload part size in MiB (S3 needs at least 5).</summary>
    public int PartSizeMB { get; set; } = 16;
    /// <summary>The bound of one pg_restore run in a restore test (killed and reported as ProcessTimeout beyond it).</summary>
    public int RestoreTimeoutMinutes { get; set; } = 240;
    public TimeSpan RestoreTimeout => TimeSpan.FromMinutes(RestoreTimeoutMinutes);
    /// <summary>How long pg_dump (--lock-wait-timeout) and the backup's own session wait for a table lock before the backup fails with DbLockTimeout.</summary>
    public int LockWaitTimeoutSeconds { get; set; } = 60;
    /// <summary>Where Test-BackupRestore downloads a dump from S3 (pg_restore -j needs a file); default: the system temporary directory.</summary>
    public string RestoreTempDirectory { get; set; } = "";
    public string EffectiveRestoreTempDirectory => RestoreTempDirectory.Length > 0 ? RestoreTempDirectory : System.IO.Path.GetTempPath();

    public TimeSpan EffectiveWarningAge => WarningAge ?? TimeSpan.FromTicks(MaximumAge.Ticks * 3 / 4);

    public void Validate(ConfigValidationContext c)
    {
        if (MaximumAge <= TimeSpan.Zero) c.Error("maximumAge", "'maximumAge' must be a positive duration such as 26h.", ConfigProblemKind.BadValue);
        if (WarningAge is { } w && w > MaximumAge) c.Error("warningAge", $"'warningAge' ({Text.Duration.Format(w)}) is above maximumAge ({Text.Duration.Format(MaximumAge)}).", ConfigProblemKind.BadValue);
        if (MinimumSizeBytes < 0) c.Error("minimumSizeBytes", "'minimumSizeBytes' must not be negative.", ConfigProblemKind.BadValue);
        c.Positive("restoreJobs", RestoreJobs);
        c.Positive("restoreTimeoutMinutes", RestoreTimeoutMinutes);
        c.Positive("lockWaitTimeoutSeconds", LockWaitTimeoutSeconds);
        if (PartSizeMB is < 5 or > 5120) c.Error("partSizeMB", $"'partSizeMB' must be 5-5120, not {PartSizeMB}.", ConfigProblemKind.BadValue);
        if (!System.Text.RegularExpressions.Regex.IsMatch(ScratchPrefix, "^[a-z_][a-z0-9_]{0,29}$"))
            c.Error("scratchPrefix", $"'scratchPrefix' must be a lower-case identifier of at most 30 characters, not '{ScratchPrefix}'.", ConfigProblemKind.BadValue);
        if (RestoreTempDirectory.Length > 0 && !System.IO.Path.IsPathFullyQualified(RestoreTempDirectory))
            c.Error("restoreTempDirectory", $"'restoreTempDirectory' must be an absolute path, not '{RestoreTempDirectory}'.", ConfigProblemKind.BadValue);
        if (PgBinDirectory.Length > 0 && !System.IO.Path.IsPathFullyQualified(PgBinDirectory))
            c.Error("pgBinDirectory", $"'pgBinDirectory' must be an absolute path, not '{PgBinDirectory}'.", ConfigProblemKind.BadValue);
    }

    public override string ToString() => $"maximum age {Text.Duration.Format(MaximumAge)}" + (WarningAge is { } w ? $", warning age {Text.Duration.Format(w)}" : "")
        + $", minimum size {MinimumSizeBytes} bytes";
}

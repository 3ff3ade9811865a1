@{
    Synopsis    = 'Dumps a PostgreSQL database with pg_dump -Fc straight into S3 (multipart upload), with a manifest of exact row counts.'
    Description = @'
Backup-OpsDatabase runs pg_dump in custom format and streams its output into an S3 multipart upload while computing its SHA-256: no local copy of the dump is ever written. Next to the dump it writes a small JSON manifest: database, server and pg_dump versions, start and end time, size, sha256 and the exact row count of every table.

The row counts are exact for the dump: the cmdlet opens a REPEATABLE READ transaction, exports its snapshot (pg_export_snapshot) and runs pg_dump --snapshot=<id>, then counts every table in that same snapshot while pg_dump streams.

Key layout under the environment's s3.postgresPrefix:
    <postgresPrefix><database>/<yyyy>/<MM>/<database>-<yyyyMMddTHHmmssZ>.dump
    <postgresPrefix><database>/<yyyy>/<MM>/<database>-<yyyyMMddTHHmmssZ>.manifest.json
for example postgres/app/2026/11/app-20261129T020000Z.dump. Times are UTC; keys sort by time.

With -Path the dump goes to a local file instead (written as <file>.partial and renamed when complete) and the manifest to <file without .dump>.manifest.json.

pg_dump is found in backup.pgBinDirectory, then $env:OPSRUNBOOK_PG_BIN, then the newest /usr/lib/postgresql/<N>/bin (Debian/Ubuntu), then PATH. The password reaches pg_dump only through PGPASSWORD in its environment, never on its command line.

Errors: BackupDumpFailed (pg_dump failed; its own message is included), BackupUploadFailed (S3 refused or is unreachable), PgToolNotFound, DbConnectFailed and the other Db* ids. On any failure or Ctrl+C the multipart upload is aborted and a written manifest removed, so no half backup is left.
'@
    Parameters  = @{
        Environment      = @{ Description = 'The environment whose postgres and s3 sections are used.'; Default = "The file's defaultEnvironment" }
        ConfigPath       = @{ Description = 'The config file to read.'; Default = '$env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml' }
        Database         = @{ Description = 'The database to dump, on the environment''s server.'; Default = 'postgres.database' }
        Path             = 'Write the dump to this local file instead of S3; the manifest goes next to it (<name>.manifest.json). The file must not exist.'
        CompressionLevel = @{ Description = 'pg_dump --compress level, 0 (none) to 9.'; Default = "pg_dump's default" }
    }
    Outputs     = @{
        'OpsRunbook.Core.Backup.BackupResult' = 'Location, Key, ManifestKey, SizeBytes, Sha256, StartTime, EndTime, Duration, Tables, Rows, ServerVersion and the Manifest.'
    }
    Examples    = @(
        @{
            Title   = 'Back up the default database to S3'
            Code    = 'Backup-OpsDatabase'
            Remarks = 'Dumps postgres.database and uploads it under s3.postgresPrefix, with its manifest.'
        }
        @{
            Title   = 'Back up to a local file'
            Code    = 'Backup-OpsDatabase -Path ./app.dump | Select-Object Location, SizeBytes, Sha256, Rows'
            Remarks = 'Writes ./app.dump and ./app.manifest.json.'
        }
        @{
            Title   = 'Back up and prove it in one pipeline'
            Code    = 'Backup-OpsDatabase | Test-BackupRestore -Environment staging'
            Remarks = 'Restores the new backup into a scratch database on the staging server, checks every row count, and drops it.'
        }
        @{
            Title   = 'See what would happen'
            Code    = 'Backup-OpsDatabase -Environment staging -WhatIf'
            Remarks = 'Nothing is dumped or uploaded.'
        }
    )
    Notes       = 'The 6-hourly cron backup is examples/runbooks/BackupEvery6Hours.ps1.'
    Links       = @('Get-OpsBackup', 'Test-BackupRestore', 'Remove-OpsBackup', 'Test-OpsBackupFreshness')
}

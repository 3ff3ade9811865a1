@{
    Synopsis    = 'Proves a backup: checks its sha256, restores it into a scratch database, compares every table''s row count with the manifest, and drops the scratch database.'
    Description = @'
Test-BackupRestore does what dbatools' Test-DbaLastBackup does, and checks the data too. For each backup (piped from Get-OpsBackup or Backup-OpsDatabase, a -Key, or a local -Path):
1. checks the free disk first: the dump (downloaded into backup.restoreTempDirectory, default the system temporary directory) plus the restored database, estimated from the manifest (the database's size when it was dumped; 4x the dump for older manifests), on the test server's data directory when that server runs on this host (and the login may read data_directory). Needs on one filesystem are added up. When they do not fit it stops with RestoreDiskSpaceLow, naming the filesystem, the need and the free space, before anything is downloaded or created;
2. downloads it from S3 with progress (to a temporary file, because pg_restore -j needs a seekable file) while computing its SHA-256;
3. compares the SHA-256 and size with the manifest: a mismatch is BackupChecksumMismatch and nothing is restored;
4. creates a new, uniquely named scratch database (backup.scratchPrefix + UTC time + random suffix, e.g. opsrunbook_restore_20261129020000_a1b2c3) on the test server and runs pg_restore --jobs N --no-owner --no-privileges --exit-on-error into it. CREATE DATABASE fails if the name exists, so it never restores over a database;
5. verifies that every table in the manifest is present and has exactly the manifest's row count (counted over N connections);
6. drops the scratch database WITH (FORCE), also on failure and on Ctrl+C, and confirms it is gone (Dropped).

The test server is the -Environment's postgres server (use -Environment staging), or -TestServer host:port with that environment's credentials, or with -Credential's user and password. A production environment (name starting with prod, or live) is refused (RestoreProductionRefused) unless -AllowProduction is given.

Each backup gives one BackupRestoreResult: Backup, SizeBytes, BackupTime, TestServer, ScratchDatabase, DownloadDuration, RestoreDuration, RestoreStatus, VerifyStatus, TablesChecked, RowsChecked, Mismatches, Dropped, Message and ErrorId. A failed test also writes a non-terminating error with the same id, so -ErrorAction Stop stops: BackupNotFound, BackupChecksumMismatch, BackupCorrupt (-VerifyOnly), BackupDownloadFailed, BackupStorageUnavailable, RestoreDiskSpaceLow, RestoreFailed (with pg_restore's own message), RestoreVerificationFailed, DbConnectFailed (test server down).

-RemoveScratch finds scratch databases left by killed runs (by their prefix) and drops them.
'@
    Parameters  = @{
        Environment     = @{ Description = 'The environment whose postgres server is the test server and whose s3 section is read.'; Default = "The file's defaultEnvironment (refused when it is production)" }
        ConfigPath      = @{ Description = 'The config file to read.'; Default = '$env:OPSRUNBOOK_CONFIG, ./ops.yaml, ~/.config/opsrunbook/ops.yaml' }
        Key             = 'The S3 key of the dump. Binds by property name from Get-OpsBackup and Backup-OpsDatabase.'
        Bucket          = @{ Description = 'The bucket of -Key. Binds by property name from Get-OpsBackup, so a backup listed in one environment can be tested on another.'; Default = 's3.bucket' }
        Path            = 'A local dump file to test; its manifest is read from <name>.manifest.json next to it when present.'
        RemoveScratch   = 'Drop the scratch databases (names starting with backup.scratchPrefix) left on the test server by killed runs, and return their names.'
        TestServer      = @{ Description = 'host or host:port of the server to restore on, with the environment''s credentials.'; Default = 'The environment''s postgres server' }
        Credential      = @{ Description = 'The user and password to log in to the test server with (typically with -TestServer), instead of the environment''s postgres.username and password. The user needs CREATEDB.'; Default = 'postgres.username and postgres.password' }
        Jobs            = @{ Description = 'pg_restore --jobs, and the number of connections counting rows.'; Default = 'backup.restoreJobs (2)' }
        NoDrop          = 'Keep the scratch database after the test (to inspect it). Remove it later with -RemoveScratch.'
        MaxSize         = 'Skip backups larger than this many bytes (for example 10GB); the result says why.'
        VerifyOnly      = 'Only download, check the sha256 and read the archive with pg_restore --list; nothing is restored.'
        AllowProduction = 'Allow the test server to be a production environment''s server.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Backup.BackupRestoreResult' = 'One per backup tested.'
        'System.String'                              = 'With -RemoveScratch: the names of the scratch databases dropped.'
    }
    Examples    = @(
        @{
            Title   = 'Back up and prove the backup'
            Code    = 'Backup-OpsDatabase | Test-BackupRestore -Environment staging'
            Remarks = 'Takes a backup, restores it on the staging server, compares every row count, drops the scratch database.'
        }
        @{
            Title   = 'The weekly backup verification'
            Code    = 'Get-OpsBackup -Latest 1 | Test-BackupRestore -Environment staging -Jobs 2 | Format-List Backup, RestoreStatus, VerifyStatus, TablesChecked, RowsChecked, Dropped, Message'
            Remarks = 'Proves the newest backup on staging. See examples/runbooks/WeeklyBackupVerification.ps1.'
        }
        @{
            Title   = 'Only check the checksum and the archive'
            Code    = 'Get-OpsBackup -Latest 1 | Test-BackupRestore -Environment staging -VerifyOnly'
            Remarks = 'Downloads, checks the sha256 and runs pg_restore --list; creates nothing.'
        }
        @{
            Title   = 'Restore on a dedicated test server with its own login'
            Code    = 'Get-OpsBackup -Latest 1 | Test-BackupRestore -TestServer restore-db.internal:5432 -Credential (Get-Credential restore_tester)'
            Remarks = 'Restores on a dedicated server as its own user (which needs CREATEDB), not with the environment''s postgres login.'
            Run     = $false
            Why     = 'It needs a server restore-db.internal and an interactive Get-Credential; the tests run the same with the sandbox server and a test login.'
        }
        @{
            Title   = 'Clean up after a killed run'
            Code    = 'Test-BackupRestore -Environment staging -RemoveScratch -WhatIf'
            Remarks = 'Lists the leftover scratch databases that would be dropped.'
        }
    )
    Notes       = 'The scratch database prefix is backup.scratchPrefix (default opsrunbook_restore_).'
    Links       = @('Get-OpsBackup', 'Backup-OpsDatabase')
}

@{
    Synopsis    = 'Shows where the state store is, its backend, schema versions, size and row counts, and what is wrong with it.'
    Description = @'
The state store is the runbook's memory between runs: health history (Get-OpsHealth -Record), and the tables other areas keep there. By default it is a SQLite file at $XDG_DATA_HOME/opsrunbook/state.db (else ~/.local/share/opsrunbook/state.db); state.path in ops.yaml moves it, and state: { postgres: { ... } } keeps the same tables in a schema (state.schema, default opsrunbook) of a PostgreSQL database shared by several hosts.

Get-OpsState is the first thing to run when something is wrong with the store. It opens the store (migrating it to this version's schema, as every cmdlet that uses it does) and reports Backend, Location, Status, SchemaVersion, AreaVersions (each area's schema version), SizeBytes, Rows and the row count of each table. A SQLite file that does not exist yet is reported as NotCreated and is not created.

When the store cannot be used, Status says why (TooNew, Corrupt, ReadOnly, Busy, Unavailable), Problem and ErrorId carry the error (StateStoreTooNew, StateStoreCorrupt, ...) and a warning is written; nothing is changed. A store written by a newer OpsRunbook is never altered, and a damaged file is never replaced.
'@
    Parameters  = @{
        Environment = @{ Description = 'The environment whose state section is used.'; Default = "The file's defaultEnvironment" }
    }
    Outputs     = @{
        'OpsRunbook.Core.State.StateStoreInfo' = 'Backend, Location, Status, SchemaVersion, AreaVersions, SizeBytes, Rows, Tables (Area, Table, Rows), HealthRetention, Problem, ErrorId.'
    }
    Examples    = @(
        @{
            Title   = 'Where is the store, and how big is it?'
            Code    = 'Get-OpsState'
            Remarks = 'Shows the file (or PostgreSQL schema), its status, versions, size and row counts.'
        }
        @{
            Title   = 'Rows per table'
            Code    = '(Get-OpsState).Tables | Format-Table Area, Table, Rows'
            Remarks = 'One line per table of every area.'
        }
    )
    Notes       = 'Configure with state: { path: /var/lib/opsrunbook/state.db, healthRetention: 400d } or state: { postgres: { host: db1, port: 5432, database: ops, username: ops, password: ''${env:STATE_DB_PASSWORD}'' }, schema: opsrunbook }.'
    Links       = @('Get-OpsHealth')
}

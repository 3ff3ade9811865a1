@{
    Synopsis    = 'Stores piped health results in the health history of the state store.'
    Description = @'
Save-OpsHealth stores every HealthCheckResult it receives (environment, check, target, status, value, unit, duration, time and message) in the state store's health history, in one transaction, then prunes results older than state.healthRetention (default 400d) in short batches. It is Get-OpsHealth -Record for results that come from elsewhere: a subset of families, Test-OpsBackupFreshness, or results produced by a script.

The store is the one of the environment (-Environment, -ConfigPath): a SQLite file (state.path, default $XDG_DATA_HOME/opsrunbook/state.db) or a PostgreSQL schema (state.postgres). A result without an Environment gets the environment's name. A store that cannot be written is a non-terminating error (StateStoreReadOnly, StateStoreCorrupt, ...).
'@
    Parameters  = @{
        InputObject = 'Health results, usually piped from Get-OpsHealth.'
        PassThru    = 'Pass the results on down the pipeline (to Assert-OpsHealthy, Export-OpsPrometheusMetric...).'
        Environment = @{ Description = 'The environment whose state store is used.'; Default = "The file's defaultEnvironment" }
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'The input results, with -PassThru.'
    }
    Examples    = @(
        @{
            Title   = 'Store the disk and database checks'
            Code    = 'Get-OpsHealth -Check Disk, Database | Save-OpsHealth -PassThru | Format-Table Check, Target, Status'
            Remarks = 'Stores the results and passes them on.'
        }
    )
    Links       = @('Get-OpsHealth', 'Get-OpsHealthHistory', 'Measure-OpsAvailability', 'Get-OpsState')
}

# Source manifest. build.ps1 copies it to out/OpsRunbook/ and writes ModuleVersion from
# Directory.Build.props (the one place the version lives). Exports are listed explicitly;
# tests/pester/Module.Tests.ps1 fails when a cmdlet or format file is missing here.
@{
    RootModule           = 'OpsRunbook.dll'
    # The small entry assembly, imported before RootModule: it loads the engine (OpsRunbook.Core) and its dependencies
    # from Dependencies/ into a load context of their own, so other modules' copies of YamlDotNet, AWSSDK, Npgsql... never clash.
    NestedModules        = @('OpsRunbook.Loader.dll')
    ModuleVersion        = '0.0.0'
    GUID                 = '304784c1-72d9-4fec-b80f-10fd28d8a5be'
    Author               = 'OpsRunbook contributors'
    CompanyName          = 'OpsRunbook'
    Copyright            = '(c) OpsRunbook contributors. MIT licence.'
    Description          = 'Operations runbook cmdlets for PostgreSQL, Redis, S3 and nginx platforms: health checks, backups and restore tests, database maintenance, disk emergencies.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    CmdletsToExport      = @(
        'Get-OpsConfig'
        'Test-OpsConfig'
        'Invoke-DbMaintenance'
        'Get-OpsDbTable'
        'Get-OpsDbBloat'
        'Get-OpsDbConnection'
        'Stop-OpsDbConnection'
        'Get-OpsSlowQuery'
        'Get-OpsUserMetrics'
        'Get-OpsUnusualActivity'
        'Get-OpsActiveOperation'
        'Get-OpsUserActivitySummary'
        'Get-OpsDiskSpace'
        'Get-OpsLargeFile'
        'Get-OpsDeletedOpenFile'
        'Get-OpsCleanupCandidate'
        'Clear-DiskEmergency'
        'Backup-OpsDatabase'
        'Get-OpsBackup'
        'Test-OpsBackupFreshness'
        'Test-BackupRestore'
        'Remove-OpsBackup'
        'Get-OpsHealth'
        'Assert-OpsHealthy'
        'Export-OpsPrometheusMetric'
        'Get-OpsSystemInfo'
        'Get-OpsState'
        'Clear-OpsState'
        'Save-OpsHealth'
        'Get-OpsHealthHistory'
        'Measure-OpsAvailability'
        'Measure-OpsAccessLog'
        'Get-OpsLogError'
        'Get-OpsAuthFailure'
        'Find-OpsSuspiciousRequest'
        'Get-OpsNetworkConnection'
        # Operations (schedule, restarts, service logs)
        'Get-OpsSchedule'
        'Export-OpsSchedule'
        'Restart-OpsService'
        'Get-OpsServiceLog'
        'Start-OpsMaintenance'
        'Stop-OpsMaintenance'
        'Invoke-OpsMaintenance'
        'Get-OpsMaintenance'
        'Test-OpsSmoke'
        'Get-OpsRedisInfo'
        'Get-OpsRedisSlowLog'
        'Get-OpsApiMetric'
        'Export-OpsAlertRule'
        'Get-OpsAlert'
        'New-OpsIncident'
        'Add-OpsIncidentNote'
        'Set-OpsIncident'
        'Get-OpsIncident'
        'Export-OpsIncidentReport'
        'Get-OpsKpi'
        'New-OpsReport'
        # Payments (issue 13)
        'Get-OpsStripeStatus'
        'Get-OpsStripeEvent'
        'Get-OpsCostReport'
        'Get-OpsAwsCost'
        'Invoke-OpsWebhookReplay'
        # Communicate and scale (issue 17)
        'Send-OpsNotification'
        # Security audit and queues (issue 14)
        'Test-OpsCertificate'
        'Get-OpsLoginHistory'
        'Get-OpsSudoEvent'
        'Invoke-OpsImageScan'
        'Invoke-OpsDependencyAudit'
        'Set-OpsStatusPage'
        'Get-OpsStatusPage'
        'Test-OpsBucketLogging'
        'Set-OpsWorkerScale'
        'Get-OpsWorkerScale'
        'Get-OpsFailedJob'
        'Restart-OpsFailedJob'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('errors')
    VariablesToExport    = @()
    FormatsToProcess     = @(
        'formats/OpsRunbook.Config.format.ps1xml'
        'formats/OpsRunbook.Postgres.format.ps1xml'
        'formats/OpsRunbook.Payments.format.ps1xml'
        'formats/OpsRunbook.Disk.format.ps1xml'
        'formats/OpsRunbook.Backup.format.ps1xml'
        'formats/OpsRunbook.Health.format.ps1xml'
        'formats/OpsRunbook.State.format.ps1xml'
        'formats/OpsRunbook.Logs.format.ps1xml'
        'formats/OpsRunbook.Operations.format.ps1xml'
        'formats/OpsRunbook.Performance.format.ps1xml'
        'formats/OpsRunbook.Notify.format.ps1xml'
        'formats/OpsRunbook.Security.format.ps1xml'
    )
    TypesToProcess       = @()
    PrivateData          = @{
        # What a PowerShell repository (the Gallery, a file share, an internal NuGet feed) shows for the package.
        PSData = @{
            Tags         = @('operations', 'runbook', 'postgresql', 'redis', 's3', 'nginx', 'backup', 'health', 'monitoring', 'prometheus', 'Linux', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/opsrunbook/OpsRunbook'
            ReleaseNotes = 'Packaged for Install-PSResource from a file share or an internal feed (build.ps1 Package). Cmdlets for health checks and Prometheus metrics, PostgreSQL backups to S3 with restore tests, database maintenance, disk emergencies, logs, incidents, Stripe and AWS cost, notifications; runbook scripts in the runbooks folder.'
        }
    }
}

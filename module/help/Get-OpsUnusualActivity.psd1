@{
    Synopsis    = "Returns users over the Security Review's unusual-activity thresholds: too many uploads or searches."
    Description = @'
Get-OpsUnusualActivity runs the Security Review's two queries: users with more than -UploadThreshold uploads (default 100) since the start of the day seven days ago, and users with more than -SearchThreshold searches (default 500) since the start of yesterday (the runbook's CURRENT_DATE - INTERVAL '1 day'). Each UnusualActivity has Kind (Uploads or Searches), UserId, Email, Count, Threshold and Since. Thresholds are bound parameters.
'@
    Parameters  = @{
        UploadThreshold = @{ Description = 'Reports users with more uploads than this in the last seven days.'; Default = '100' }
        SearchThreshold = @{ Description = 'Reports users with more searches than this since the start of yesterday.'; Default = '500' }
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.UnusualActivity' = 'One per user and kind over its threshold.' }
    Examples    = @(
        @{ Title = 'The weekly security check'; Code = 'Get-OpsUnusualActivity'; Remarks = 'Uses the runbook thresholds, 100 uploads and 500 searches.' }
        @{ Title = 'Lower thresholds, with each user''s totals'; Code = 'Get-OpsUnusualActivity -UploadThreshold 20 -SearchThreshold 30 | Get-OpsUserActivitySummary'; Remarks = 'Pipes the flagged users (by Email) into the user_activity_summary view.' }
    )
    Links       = @('Get-OpsUserActivitySummary', 'Get-OpsUserMetrics')
}

@{
    Synopsis    = "Returns the daily User Metrics Review figures: active users, signups, uploads and searches."
    Description = @'
Get-OpsUserMetrics runs the runbook's User Metrics Review queries for one calendar day of the database server (default: today): DailyActiveUsers (distinct users in user_activity), NewSignups (users created), Uploads and UploadedBytes (media_items; UploadedMB is the runbook's mb_uploaded) and Searches (search_history). Dates are bound parameters.
'@
    Parameters  = @{
        Date = @{ Description = 'The day to report (its date part is used). Accepts pipeline input.'; Default = "Today on the database server (CURRENT_DATE)" }
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.UserMetrics' = 'One per day.' }
    Examples    = @(
        @{ Title = "Today's metrics"; Code = 'Get-OpsUserMetrics'; Remarks = 'DAU, signups, uploads and searches so far today.' }
        @{ Title = 'The last seven days'; Code = '0..6 | ForEach-Object { (Get-Date).Date.AddDays(-$_) } | Get-OpsUserMetrics | Format-Table Date, DailyActiveUsers, NewSignups, Uploads, UploadedMB, Searches'; Remarks = 'One row per day.' }
    )
    Links       = @('Get-OpsUnusualActivity', 'Get-OpsUserActivitySummary')
}

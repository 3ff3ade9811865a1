@{
    Synopsis    = "Returns the runbook's user_activity_summary view, busiest users first."
    Description = @'
Get-OpsUserActivitySummary reads the user_activity_summary reference view: per user Email, SubscriptionTier, MediaCount, SearchCount, LastUpload and LastSearch, ordered by media plus searches. -Email picks users (it binds from the pipeline by the Email property, e.g. from Get-OpsUnusualActivity) and -Top limits the count.
'@
    Parameters  = @{
        Email = 'Only these users (exact e-mail addresses). Accepts pipeline input by the Email property.'
        Top   = @{ Description = 'Only the busiest N users.'; Default = 'All users' }
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.UserActivitySummary' = 'One per user.' }
    Examples    = @(
        @{ Title = 'The ten busiest users'; Code = 'Get-OpsUserActivitySummary -Top 10'; Remarks = 'By uploads plus searches.' }
        @{ Title = 'One user'; Code = 'Get-OpsUserActivitySummary -Email user1@example.test'; Remarks = 'Sandbox user 1.' }
    )
    Links       = @('Get-OpsUnusualActivity', 'Get-OpsActiveOperation')
}

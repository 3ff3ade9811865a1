@{
    Synopsis    = "Returns the runbook's active_operations view: uploads in progress and searches in the last minute."
    Description = @'
Get-OpsActiveOperation reads the active_operations reference view: one ActiveOperation for upload (media_items pending or processing) and one for search (search_history rows of the last minute), each with Operation and Count. The view must exist (it is defined in the runbook's Reference Commands).
'@
    Parameters  = @{
        Environment   = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Postgres.ActiveOperation' = 'One per operation.' }
    Examples    = @(
        @{ Title = 'What is the platform doing now'; Code = 'Get-OpsActiveOperation'; Remarks = 'Pending uploads and the last minute of searches.' }
    )
    Links       = @('Get-OpsUserActivitySummary')
}

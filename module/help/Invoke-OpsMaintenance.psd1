@{
    Synopsis    = 'Runs a change inside a maintenance window that always closes: Start-OpsMaintenance, the script block, then Stop-OpsMaintenance in a finally.'
    Description = @'
Invoke-OpsMaintenance is the safe way to run the runbook's "Planned Maintenance Template" when tired. It opens the window (Start-OpsMaintenance: flag, workers stopped, backup, window recorded); if that fails, everything is undone and the change is not run. Then it runs -ScriptBlock, and in a finally block resumes: smoke tests (their result is reported but does not block), workers started, flag removed, window closed.

So Ctrl+C in the middle of the change, or an exception thrown by it, still resumes the service: the resume runs with its own bound, independent of the cancelled pipeline. The change's own error is then passed on. The output is the Start result, the script block's output, and the Stop result.
'@
    Parameters  = @{
        Reason      = 'Why: shown by Get-OpsMaintenance and written into the flag file.'
        ScriptBlock = 'The change. Its output is passed down the pipeline; an error it throws ends it, after the service is resumed.'
        Duration    = @{ Description = 'The planned length; Get-OpsHealth warns once the window is past it.'; Default = '1h' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.MaintenanceResult' = 'The Start result, then whatever the script block writes, then the Stop result.' }
    Examples    = @(
        @{ Title = 'A change that always resumes'; Code = "Invoke-OpsMaintenance -Reason 'Vacuum search_history' -Confirm:`$false -ScriptBlock { Invoke-DbMaintenance -Table search_history -Operation Vacuum -Confirm:`$false } | Format-List Action, Succeeded, Table, Status"; Remarks = 'Start, the vacuum, Stop; the site is back even if the vacuum fails or Ctrl+C is pressed.' }
    )
    Links       = @('Start-OpsMaintenance', 'Stop-OpsMaintenance', 'Get-OpsMaintenance')
}

@{
    Synopsis    = 'Fails a scheduled run, with a one-line summary, when health results are Critical (or Warning).'
    Description = @'
Assert-OpsHealthy reads HealthCheckResult objects from the pipeline (from Get-OpsHealth) and, once it has seen them all, throws one terminating error when any result is at or above -FailOn (default Critical). The error id is OpsHealthCritical, OpsHealthWarning or OpsHealthUnknown after the worst status found, and its message is one line: how many results failed, and each one's check, target and message.

In a scheduled script, `Get-OpsHealth | Assert-OpsHealthy` makes pwsh exit with a non-zero code, so cron, systemd timers or a CI job mark the run failed. With no input at all it throws OpsHealthNoResults: a check that checked nothing is not a pass.

With -PassThru the results go on down the pipeline as they arrive, so they can be logged or exported before the assertion fails. The failing results are in the error's TargetObject and in $_.Exception.Results.

Exit codes follow the Nagios plugin convention (0 OK, 1 Warning, 2 Critical, 3 Unknown): the error's $_.Exception.ExitCode is the code for the failing results (3 when there were none), so a script can end with `catch { exit $_.Exception.ExitCode }`. With -Exit, Assert-OpsHealthy does that itself: on failure it writes the one-line summary to standard output (plain text unless at a terminal, where it is coloured) and ends pwsh with the code once the pipeline has stopped (finally blocks run). Without failures -Exit does nothing and the script goes on.
'@
    Parameters  = @{
        InputObject = 'Health results, usually piped from Get-OpsHealth.'
        FailOn      = @{ Description = 'The status from which a result fails the assertion, together with every worse status: Critical; Warning (Warning or Critical); Unknown (Unknown, Warning or Critical).'; Default = 'Critical' }
        PassThru    = 'Pass each result on down the pipeline.'
        Exit        = 'On failure, write the one-line summary and end pwsh with the Nagios exit code (2 Critical, 1 Warning, 3 Unknown) instead of throwing an error. For the last line of a scheduled script; it ends an interactive pwsh too.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Health.HealthCheckResult' = 'With -PassThru: the input results.'
    }
    Examples    = @(
        @{
            Title   = 'Fail a scheduled run when anything is Critical'
            Code    = 'Get-OpsHealth | Assert-OpsHealthy'
            Remarks = 'Throws OpsHealthCritical with a one-line summary when any check is Critical; pwsh -File then exits with code 1.'
        }
        @{
            Title   = 'End a cron job with one plain line and the Nagios exit code'
            Code    = 'Get-OpsHealth | Assert-OpsHealthy -Exit'
            Remarks = 'With a service down: prints "CRITICAL Health check failed in production: 1 Critical of 17 results. Critical Service/api: ..." and pwsh exits 2. When all is well nothing is printed and the script goes on.'
        }
        @{
            Title   = 'Be strict: warnings fail too, and keep the results'
            Code    = @'
try { $results = Get-OpsHealth -Check Database | Assert-OpsHealthy -FailOn Warning -PassThru }
catch { Write-Warning $_.Exception.Message; $_.Exception.Results | Format-Table }
'@
            Remarks = 'Warnings and worse fail the assertion; the catch block shows the one-line summary and the failing results.'
        }
        @{
            Title   = 'Log the table, then assert'
            Code    = 'Get-OpsHealth | Assert-OpsHealthy -PassThru | Format-Table -AutoSize | Out-File ./health.log'
            Remarks = 'The table is written as results arrive; the assertion fails only after all of them were seen.'
        }
    )
    Notes       = 'See examples/runbooks/DailyHealthCheck.ps1 for a complete scheduled runbook.'
    Links       = @('Get-OpsHealth', 'Export-OpsPrometheusMetric', 'about_OpsRunbook')
}

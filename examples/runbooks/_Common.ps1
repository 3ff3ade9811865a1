<#
    What every runbook in this folder starts and ends with. Not a runbook itself: each runbook dot-sources it first,

        . (Join-Path $PSScriptRoot '_Common.ps1')
        Import-RunbookModule 'BACKUP'            # the module, or "BACKUP UNKNOWN - cannot load ..." and exit 3

    by its own folder ($PSScriptRoot), so a runbook finds it from any working directory, as
    `pwsh -NoProfile -File <runbook>` from cron or the units of Export-OpsSchedule runs it, and in the module's
    runbooks/ folder as in examples/runbooks/ (build.ps1 copies both).

    Dot-sourced, it sets in the runbook's scope:
      $ErrorActionPreference = 'Stop', $ProgressPreference = 'SilentlyContinue' (plain output for cron mail and the journal)
      $common   the splat of the runbook's -Environment and -ConfigPath (only those given). A runbook that uses it
                declares both parameters: otherwise a caller's variable of that name would be read instead.
      $stamp    a script block giving the UTC time as 2026-12-02T09:00:00Z
    and defines the functions below. The exit codes are the Nagios plugin convention of every runbook:
    0 OK, 1 Warning, 2 Critical, 3 Unknown (a broken config, or the module cannot be loaded). `exit` in these
    functions ends the runbook that called them, not its caller (a test or an `&` from another script).
#>
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$common = @{}
if ($Environment) { $common.Environment = $Environment }
if ($ConfigPath) { $common.ConfigPath = $ConfigPath }
$stamp = { [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ') }

function Import-RunbookModule {
    <#
        Loads OpsRunbook: -Path when given (a runbook's -ModulePath), else the module already imported in this session,
        else the module this folder belongs to (<ModuleBase>/runbooks/..), else the installed one by name.
        When it cannot be loaded the runbook prints "<Label> UNKNOWN - cannot load the OpsRunbook module: <why>" and
        exits 3: nothing could be checked.
    #>
    param([string] $Label = 'OPSRUNBOOK', [string] $Path = 'OpsRunbook')
    try {
        if ($Path -ne 'OpsRunbook') { Import-Module $Path -ErrorAction Stop; return }
        if (Get-Module OpsRunbook) { return }
        $own = Join-Path (Split-Path $PSScriptRoot -Parent) 'OpsRunbook.psd1'
        if (Test-Path -LiteralPath $own) { Import-Module $own -ErrorAction Stop; return }
        Import-Module OpsRunbook -ErrorAction Stop
    }
    catch {
        Write-Output "$Label UNKNOWN - cannot load the OpsRunbook module: $($_.Exception.Message -replace '\s*\r?\n\s*', ' ')"
        exit 3
    }
}

function Get-RunbookHealthOutcome {
    <#
        The Nagios outcome of health results (HealthCheckResult objects, or rows that convert to them): Code (the
        worst row's exit code; no rows is 3), State (OK, WARNING, CRITICAL, UNKNOWN), Results (typed, as given),
        Total, Healthy/Warning/Critical/Unknown counts, Worst (the worst Status) and Summary ("2 Critical, 15 Healthy",
        by status name). DailyHealthCheck.ps1 and FleetHealthCheck.ps1 both end with it.
    #>
    param([object[]] $Results)
    $typed = [OpsRunbook.Core.Health.HealthCheckResult[]]@($Results | Where-Object { $null -ne $_ })
    $code = [OpsRunbook.Core.Health.NagiosPlugin]::ExitCode($typed)
    $count = @{}
    foreach ($s in [Enum]::GetNames([OpsRunbook.Core.Health.HealthStatus])) { $count[$s] = 0 }
    foreach ($r in $typed) { $count["$($r.Status)"]++ }
    [pscustomobject]@{
        Code     = $code
        State    = [OpsRunbook.Core.Health.NagiosPlugin]::StateName($code)
        Results  = $typed
        Total    = $typed.Count
        Healthy  = $count['Healthy']
        Warning  = $count['Warning']
        Critical = $count['Critical']
        Unknown  = $count['Unknown']
        Worst    = if ($typed.Count) { ($typed | Sort-Object Status -Descending)[0].Status } else { [OpsRunbook.Core.Health.HealthStatus]::Unknown }
        Summary  = ($typed | Group-Object Status | Sort-Object Name | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
    }
}

function Exit-RunbookWithHealth {
    <# Ends the runbook with the Nagios code of health results: the worst row's; no rows is 3 (Unknown). #>
    param([object[]] $Results)
    exit (Get-RunbookHealthOutcome $Results).Code
}

function Exit-RunbookFailure {
    <#
        Ends a runbook whose step failed: one plain line "<time> <Label> [<error id>]: <message>" (-NoTimestamp: without
        the time, for the runbooks that print none) and exit 3 for a broken config, else -Otherwise (2, Critical).
    #>
    param(
        [Parameter(Mandatory)] [string] $Label,
        [Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $ErrorRecord,
        [switch] $NoTimestamp,
        [int] $Otherwise = 2
    )
    $text = "$Label [$($ErrorRecord.FullyQualifiedErrorId)]: $($ErrorRecord.Exception.Message -replace '\s*\r?\n\s*', ' ')"
    Write-Output $(if ($NoTimestamp) { $text } else { "$(& $stamp) $text" })
    $code = $Otherwise
    if ('OpsRunbook.Core.Health.NagiosPlugin' -as [type]) { $code = [OpsRunbook.Core.Health.NagiosPlugin]::ExitCodeFor($ErrorRecord.Exception, $Otherwise) }
    exit $code
}

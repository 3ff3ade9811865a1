#!/usr/bin/env -S pwsh -NoProfile -NonInteractive -File
<#
.SYNOPSIS
    The health check across a fleet: Get-OpsHealth on every host over SSH remoting, in parallel, in one table.

.DESCRIPTION
    Runs Get-OpsHealth on each host in -HostName through PowerShell's SSH remoting (Invoke-Command -HostName; each
    host runs sshd with `Subsystem powershell /usr/local/bin/pwsh -sshs` and has OpsRunbook installed), at most
    -ThrottleLimit hosts at a time. Every row carries ComputerName (the host's own name). A host that cannot be
    reached, refuses the key, lacks the module or cannot run the check becomes one row with Check Host, Target the
    host as given and Status Unknown, with the reason in Message: the fleet's table is complete, and the script goes on.

        */5 * * * *  pwsh -NoProfile -File FleetHealthCheck.ps1 -HostName ops@web-1,ops@web-2,ops@db-1 -CsvPath /var/log/opsrunbook/fleet.csv

    Prints the results (worst first) and one Nagios status line, and exits with the Nagios code of the worst row:
    0 OK, 1 Warning, 2 Critical, 3 Unknown (an unreachable host is Unknown). -CsvPath writes the rows as CSV (the
    same columns as a local Get-OpsHealth | Export-Csv); -PushgatewayUrl pushes each host's results to a Pushgateway
    under job opsrunbook and instance = the host's ComputerName.
#>
[CmdletBinding()]
param(
    # The hosts: name, user@name or user@name:port, as Invoke-Command -HostName takes them.
    [Parameter(Mandatory)] [string[]] $HostName,
    # The SSH private key; default: ssh's own (~/.ssh/id_*, the agent).
    [string] $KeyFilePath,
    # More ssh options (-o), e.g. @{ UserKnownHostsFile = '/etc/opsrunbook/known_hosts' }. BatchMode=yes is always set: no password prompt.
    [hashtable] $SshOptions = @{},
    # Hosts checked at the same time.
    [ValidateRange(1, 256)] [int] $ThrottleLimit = 16,
    # The environment in each host's ops.yaml; default: its defaultEnvironment.
    [string] $Environment,
    # Only these check families (Get-OpsHealth -Check); default: all.
    [string[]] $Check,
    # The bound on each check on each host, seconds (Get-OpsHealth -TimeoutSeconds).
    [double] $TimeoutSeconds = 5,
    # The bound on connecting to one host, seconds.
    [ValidateRange(1, 600)] [int] $ConnectTimeoutSeconds = 15,
    # The bound on one host from connecting to its last result, seconds: a host that takes longer is an Unknown row.
    [ValidateRange(1, 3600)] [int] $HostTimeoutSeconds = 120,
    # Write the rows to this CSV file too.
    [string] $CsvPath,
    # Push each host's results to this Pushgateway (job opsrunbook, instance = the host's ComputerName).
    [string] $PushgatewayUrl,
    # Where to load the module from on this machine; default: the installed OpsRunbook.
    [string] $ModulePath = 'OpsRunbook'
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, the outcome and exits every runbook shares (DailyHealthCheck.ps1's too)
Import-RunbookModule 'FLEET' -Path $ModulePath

$options = @{ BatchMode = 'yes'; ConnectTimeout = "$ConnectTimeoutSeconds" }
foreach ($k in $SshOptions.Keys) { $options[$k] = [string]$SshOptions[$k] }
$connect = @{ Options = $options; ConnectingTimeout = $ConnectTimeoutSeconds * 1000 }
if ($KeyFilePath) { $connect.KeyFilePath = $KeyFilePath }
$checkArgs = @{ TimeoutSeconds = $TimeoutSeconds }
if ($Environment) { $checkArgs.Environment = $Environment }
if ($Check) { $checkArgs.Check = $Check }

# One runspace per host at a time (-ThrottleLimit); each answer is tagged with the host as given, so an error is
# always that host's, whatever address it shares with another.
$answers = $HostName | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
    $target = $_
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $connect = $using:connect
    $job = $null
    try {
        # As a job, so the wait on each host is bounded whatever the connection does (-HostTimeoutSeconds).
        $job = Invoke-Command -HostName $target @connect -AsJob -ArgumentList $using:checkArgs -ScriptBlock {
            param($checkArgs)
            $ErrorActionPreference = 'Stop'
            Import-Module OpsRunbook
            Get-OpsHealth @checkArgs
        }
        if (-not (Wait-Job $job -Timeout $using:HostTimeoutSeconds)) {
            throw "no answer within $($using:HostTimeoutSeconds) s (-HostTimeoutSeconds)."
        }
        $rows = Receive-Job $job -ErrorAction Stop
        [pscustomobject]@{ Host = $target; Rows = @($rows); Error = $null; Elapsed = $sw.Elapsed }
    }
    catch {
        [pscustomobject]@{ Host = $target; Rows = @(); Error = $_.Exception.Message; Elapsed = $sw.Elapsed }
    }
    finally {
        if ($job) { $job | Stop-Job -PassThru | Remove-Job -Force }
    }
}

$results = [System.Collections.Generic.List[OpsRunbook.Core.Health.HealthCheckResult]]::new()
foreach ($a in $answers) {
    if ($a.Error) {
        $name = ($a.Host -replace '^[^@]*@', '') -replace ':\d+$', ''
        # Made through the module's converter, as the remote rows are, so every row has the same columns in CSV.
        $row = [OpsRunbook.Core.Health.HealthCheckResult][pscustomobject]@{
            Environment = "$Environment"; ComputerName = $name; Check = 'Host'; Target = $a.Host
            Status = 'Unknown'; Duration = $a.Elapsed; Timestamp = [DateTimeOffset]::UtcNow
            Message = "Cannot run the health check on $($a.Host): $(($a.Error -split "`n")[0].Trim())"
            NextStep = 'Check that the host is up, sshd answers, the key is accepted and OpsRunbook is installed there (ssh -p PORT USER@HOST pwsh -c "Import-Module OpsRunbook").'
        }
        $results.Add($row)
        continue
    }
    # Remote results arrive as Deserialized property bags; the module's converter makes real HealthCheckResults again
    # (Status sorts by severity, Export-OpsPrometheusMetric and the Nagios line take them).
    foreach ($r in $a.Rows) { $results.Add([OpsRunbook.Core.Health.HealthCheckResult]$r) }
}

$sorted = @($results | Sort-Object @{ Expression = 'Status'; Descending = $true }, ComputerName, Check, Target)
if ($CsvPath) { $sorted | Export-Csv -Path $CsvPath -NoTypeInformation }
if ($PushgatewayUrl) {
    foreach ($g in $sorted | Where-Object Check -ne 'Host' | Group-Object ComputerName) {
        try { $null = $g.Group | Export-OpsPrometheusMetric -PushgatewayUrl $PushgatewayUrl -Job opsrunbook -Instance $g.Name }
        catch { Write-Warning "Cannot push $($g.Name)'s results to the Pushgateway: $($_.Exception.Message)" }
    }
}
$sorted
$outcome = Get-RunbookHealthOutcome $sorted
$unreachable = @($answers | Where-Object Error).Count
Write-Output ("FLEET {0} - {1} host(s), {2} unreachable: {3} critical, {4} warning, {5} unknown of {6} checks" -f `
        $outcome.State, $HostName.Count, $unreachable, $outcome.Critical, $outcome.Warning, $outcome.Unknown, $outcome.Total)
exit $outcome.Code

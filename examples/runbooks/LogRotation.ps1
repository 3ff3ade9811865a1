<#
.SYNOPSIS
    The runbook's nightly log rotation (Cron Schedule: "0 2 * * * rotate-logs.sh"): compress, then expire.
.DESCRIPTION
    In logs.directory of the environment: every *.log file not written since the start of today (UTC) is gzipped
    to <name>.gz (the form Get-OpsHealth's Errors check and the log readers read) and the plain file removed; every
    *.gz older than -RetentionDays is deleted. Files written today (the live ones) are never touched.
        0 2 * * * root pwsh -NoProfile -NonInteractive -File .../runbooks/LogRotation.ps1 -Environment production
    Exit codes (Nagios convention): 0 done, 2 a file could not be rotated, 3 the config is broken. -WhatIf lists
    what would happen and changes nothing.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Environment,
    [string] $ConfigPath,
    # Compressed logs older than this many days are deleted.
    [double] $RetentionDays = 14
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'LOG ROTATION'
try {
    $logs = (Get-OpsConfig @common).Logs
    if (-not $logs -or -not $logs.Directory) { throw [OpsRunbook.Core.Errors.OpsException]::new([OpsRunbook.Core.Errors.ErrorIds]::ConfigSectionMissing, 'The environment has no logs.directory to rotate.') }
    $dir = $logs.Directory
    $today = [DateTime]::UtcNow.Date
    $failed = 0; $compressed = 0; $deleted = 0
    foreach ($f in Get-ChildItem -LiteralPath $dir -Filter '*.log' -File) {
        if ($f.LastWriteTimeUtc -ge $today) { continue }
        $gz = "$($f.FullName).gz"
        if (Test-Path -LiteralPath $gz) { Write-Output ("{0} skip {1}: {2} exists" -f (& $stamp), $f.Name, (Split-Path $gz -Leaf)); continue }
        if (-not $PSCmdlet.ShouldProcess($f.FullName, "Compress to $gz and remove the plain file")) { continue }
        try {
            $tmp = "$gz.tmp"
            $in = [IO.File]::OpenRead($f.FullName)
            try {
                $out = [IO.File]::Create($tmp)
                try { $zip = [IO.Compression.GZipStream]::new($out, [IO.Compression.CompressionLevel]::Optimal); $in.CopyTo($zip); $zip.Dispose() }
                finally { $out.Dispose() }
            }
            finally { $in.Dispose() }
            [IO.File]::SetLastWriteTimeUtc($tmp, $f.LastWriteTimeUtc)
            Move-Item -LiteralPath $tmp -Destination $gz
            Remove-Item -LiteralPath $f.FullName
            $compressed++
            Write-Output ("{0} compressed {1} -> {2} ({3:N0} -> {4:N0} bytes)" -f (& $stamp), $f.Name, (Split-Path $gz -Leaf), $f.Length, (Get-Item -LiteralPath $gz).Length)
        }
        catch {
            $failed++
            Remove-Item -LiteralPath "$gz.tmp" -ErrorAction Ignore
            Write-Output ("{0} FAILED to compress {1}: {2}" -f (& $stamp), $f.Name, $_.Exception.Message)
        }
    }
    $cutoff = [DateTime]::UtcNow.AddDays(-$RetentionDays)
    foreach ($f in Get-ChildItem -LiteralPath $dir -Filter '*.gz' -File | Where-Object LastWriteTimeUtc -lt $cutoff) {
        if (-not $PSCmdlet.ShouldProcess($f.FullName, "Delete (older than $RetentionDays days)")) { continue }
        Remove-Item -LiteralPath $f.FullName
        $deleted++
        Write-Output ("{0} deleted {1} (last written {2:yyyy-MM-dd})" -f (& $stamp), $f.Name, $f.LastWriteTimeUtc)
    }
    Write-Output ("{0} log rotation in {1}: {2} compressed, {3} deleted, {4} failed" -f (& $stamp), $dir, $compressed, $deleted, $failed)
    exit $(if ($failed) { 2 } else { 0 })
}
catch { Exit-RunbookFailure 'LOG ROTATION FAILED' $_ }

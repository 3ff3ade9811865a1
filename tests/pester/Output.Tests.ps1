<#
    What people read and what spreadsheets get: number columns beside every duration, ISO 8601 timestamps in CSV
    whatever the culture, and red/yellow rows in a terminal only.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Iso = '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$'
}

Describe 'CSV columns' {
    It 'has a number column (<Name>Ms) beside every duration of every output type' {
        $types = Get-Command -Module OpsRunbook | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.Namespace -like 'OpsRunbook*' } | Sort-Object FullName -Unique
        $checked = 0
        foreach ($t in $types) {
            foreach ($p in $t.GetProperties() | Where-Object { ([Nullable]::GetUnderlyingType($_.PropertyType) ?? $_.PropertyType) -eq [timespan] }) {
                $n = $t.GetProperty("$($p.Name)Ms") ?? $t.GetProperty("$($p.Name)Seconds")
                $n | Should -Not -BeNullOrEmpty -Because "$($t.Name).$($p.Name) is a duration: add $($p.Name)Ms (a number) for CSV"
                ([Nullable]::GetUnderlyingType($n.PropertyType) ?? $n.PropertyType) | Should -Be ([double])
                $checked++
            }
        }
        $checked | Should -BeGreaterOrEqual 6
    }

    It 'writes timestamps as ISO 8601 whatever the culture, while they stay DateTimeOffset in scripts' {
        $r = Invoke-OpsChildPwsh -Script @'
[cultureinfo]::CurrentCulture = [cultureinfo]::GetCultureInfo('en-US')
$h = @(Get-OpsHealth -Check Disk, Backup)
$h | ConvertTo-Csv | Set-Content ./health.csv
Get-OpsBackup -Latest 1 | ConvertTo-Csv | Set-Content ./backup.csv
Get-OpsDbConnection -IncludeBackground | ConvertTo-Csv | Set-Content ./connections.csv
$t = $h[0].Timestamp
$h[0].Status = 'Critical'   # other properties stay live: what a script sets, the next cmdlet sees
[pscustomobject]@{
    IsDto = $t -is [datetimeoffset]; Newer = $t -gt [datetimeoffset]::UtcNow.AddHours(-1); Year = $t.ToString('yyyy'); Sorted = @($h | Sort-Object Timestamp).Count
    Json = ($h[0] | ConvertTo-Json -Compress); Age = ([datetimeoffset]::UtcNow - $t).TotalMinutes -lt 60
    Live = $(try { $h[0] | Assert-OpsHealthy; 'passed' } catch { 'failed' })
} | ConvertTo-Json -Compress | Set-Content ./facts.json
'@ -WorkingDirectory $TestDrive
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        foreach ($file in 'health.csv', 'backup.csv', 'connections.csv') {
            $rows = @(Import-Csv (Join-Path $TestDrive $file))
            $rows.Count | Should -BeGreaterThan 0 -Because $file
            $stampColumns = @('Timestamp', 'Time', 'LastModified', 'StateChange', 'QueryStart', 'BackendStart') | Where-Object { $rows[0].PSObject.Properties.Name -contains $_ }
            $stampColumns.Count | Should -BeGreaterThan 0 -Because "$file has timestamps"
            foreach ($row in $rows) {
                foreach ($c in $stampColumns) { if ($row.$c) { $row.$c | Should -Match $script:Iso -Because "$file column $c is ISO 8601, not '$($row.$c)'" } }
            }
        }
        $facts = Get-Content (Join-Path $TestDrive 'facts.json') -Raw | ConvertFrom-Json
        $facts.IsDto | Should -BeTrue
        $facts.Newer | Should -BeTrue
        $facts.Age | Should -BeTrue
        $facts.Year | Should -Be ([DateTime]::UtcNow.Year.ToString())
        $facts.Sorted | Should -BeGreaterThan 1
        $facts.Live | Should -Be 'failed' -Because 'Assert-OpsHealthy sees the Status the script set'
        ($facts.Json | ConvertFrom-Json -DateKind String).Timestamp | Should -Match $script:Iso
        # Timestamps first, then the class's order.
        (Get-Content (Join-Path $TestDrive 'health.csv') -TotalCount 1) | Should -Be '"Timestamp","Environment","ComputerName","Check","Target","Status","Value","Unit","Threshold","WarnAt","CriticalAt","Message","NextStep","Duration","DurationMs"'
    }
}

Describe 'Colour' {
    BeforeAll {
        # One Critical row: a tcp service on a port nothing listens on.
        $script:Cfg = New-OpsTestConfig -Name colour.yaml -Text @"
defaultEnvironment: production
environments:
  production:
    services:
      - { name: down, kind: tcp, address: '127.0.0.1:$(Get-OpsFreePort)' }
      - { name: up, kind: tcp, address: '127.0.0.1:$((Get-OpsSandbox).Ports.Postgres)' }
"@
        $script:Show = "Import-Module '$(Get-OpsModulePath)'; Get-OpsHealth -ConfigPath '$script:Cfg' | Format-Table | Out-Host"
    }

    It 'shows Critical rows in red in a terminal' {
        $log = Join-Path $TestDrive 'tty.txt'
        $file = Join-Path $TestDrive 'show.ps1'
        Set-Content $file $script:Show
        # script(1) runs pwsh on a pseudo-terminal, as an admin at a console would.
        & script -qec "env -u NO_COLOR TERM=xterm-256color '$([Environment]::ProcessPath)' '$(Join-Path $PSHOME 'pwsh.dll')' -NoProfile -NonInteractive -File '$file'" $log *> $null
        $text = Get-Content $log -Raw
        $red = $PSStyle.Foreground.BrightRed
        $text | Should -Match ([regex]::Escape($red) + 'Critical') -Because "a Critical row is red in a terminal:`n$text"
        $text | Should -Match 'Healthy' 
        $text | Should -Not -Match ([regex]::Escape($red) + 'Healthy')
    }

    It 'writes no escape sequences when the output is redirected' {
        $r = Invoke-OpsChildPwsh -Script "Get-OpsHealth -ConfigPath '$script:Cfg' | Format-Table | Out-Host" -Environment @{ NO_COLOR = $null }
        $r.StdOut | Should -Match 'Critical'
        $r.StdOut | Should -Not -Match "`e\["
    }
}

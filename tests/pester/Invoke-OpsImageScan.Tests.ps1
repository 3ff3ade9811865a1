<#
    Invoke-OpsImageScan on saved trivy JSON reports (fixtures/trivy, written from trivy's documented schema version 2), and
    with a trivy stand-in on PATH (a shell script that records its arguments and prints a saved report, or hangs) since trivy
    is not packaged for Debian.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $script:Fixtures = Join-Path $PSScriptRoot 'fixtures/trivy'
    $script:Report = Join-Path $script:Fixtures 'app-image.json'
    function New-FakeTrivy([string] $Body) {
        $bin = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $bin
        Set-Content -Path (Join-Path $bin 'trivy') -Value "#!/bin/sh`n$Body`n"
        & chmod +x (Join-Path $bin 'trivy')
        $bin
    }
}

Describe 'Invoke-OpsImageScan' {
    It 'reads a saved report: one object per vulnerability, every field from the report' {
        $v = @(Invoke-OpsImageScan -ReportPath $script:Report)
        $v.Count | Should -Be 5
        $v[0] | Should -BeOfType ([OpsRunbook.Core.Security.ImageVulnerability])
        $v[0].Image | Should -Be 'registry.example.com/platform/api:1.42.0'
        $v[0].Target | Should -Be 'registry.example.com/platform/api:1.42.0 (debian 12.5)'
        $v[0].Package | Should -Be 'libc6'
        $v[0].InstalledVersion | Should -Be '2.36-9+deb12u4'
        $v[0].FixedVersion | Should -Be '2.36-9+deb12u7'
        $v[0].Severity | Should -Be 'High'
        $v[0].Id | Should -Be 'CVE-2024-2961'
        $v[0].Title | Should -Be 'glibc: Out of bounds write in iconv may lead to remote code execution'
        $v[1].FixedVersion | Should -Be '' -Because 'zlib has no fix (will_not_fix)'
        $v[1].Status | Should -Be 'will_not_fix'
        ($v | Where-Object Target -eq 'app/package-lock.json').Package | Should -Be @('micromatch', 'express')
        @($v | Where-Object Severity -ge High).Id | Should -Be @('CVE-2024-2961', 'CVE-2023-45853')
    }

    It 'filters by -Severity; a report without findings gives nothing; CSV and the default view are readable' {
        @(Invoke-OpsImageScan -ReportPath $script:Report -Severity Critical).Id | Should -Be @('CVE-2023-45853')
        @(Invoke-OpsImageScan -ReportPath (Join-Path $script:Fixtures 'clean-image.json')).Count | Should -Be 0
        $table = Invoke-OpsImageScan -ReportPath $script:Report | Out-String -Width 200
        $table | Should -Match 'Target: app/package-lock.json'
        $table | Should -Match 'CVE-2023-45853\s+zlib1g\s+1:1.2.13.dfsg-1\s+\(none\)'
        $csv = Invoke-OpsImageScan -ReportPath $script:Report | ConvertTo-Csv | ConvertFrom-Csv
        $csv[0].Severity | Should -Be 'High'
        # Deserialized results (Import-Clixml, remoting) keep the view.
        $xml = Join-Path $TestDrive 'v.xml'
        Invoke-OpsImageScan -ReportPath $script:Report | Export-Clixml $xml
        (Import-Clixml $xml | Out-String -Width 200) | Should -Match 'CVE-2024-2961\s+libc6'
    }

    It 'runs trivy image --format json when trivy is on PATH, passing -Severity' {
        $argFile = Join-Path $TestDrive 'args.txt'
        $bin = New-FakeTrivy "echo `"`$@`" > '$argFile'; cat '$script:Report'"
        $r = Invoke-OpsChildPwsh -Script "Invoke-OpsImageScan -Image registry.example.com/platform/api:1.42.0 -Severity High, Critical | ConvertTo-Json -Compress" -Environment @{ PATH = "${bin}:$env:PATH" }
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        (Get-Content $argFile -Raw).Trim() | Should -Be 'image --format json --quiet --severity HIGH,CRITICAL registry.example.com/platform/api:1.42.0'
        # The stand-in ignores --severity; the cmdlet filters the report too.
        @(($r.StdOut | ConvertFrom-Json).Id) | Should -Be @('CVE-2024-2961', 'CVE-2023-45853')
        # -WhatIf runs nothing.
        Remove-Item $argFile
        $r = Invoke-OpsChildPwsh -Script "Invoke-OpsImageScan -Image api:1 -WhatIf" -Environment @{ PATH = "${bin}:$env:PATH" }
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.StdOut | Should -Match 'What if: .*api:1'
        Test-Path $argFile | Should -BeFalse
    }

    It 'trivy that fails is ImageScanFailed with what trivy said; a hanging trivy is stopped at -Timeout' {
        $bin = New-FakeTrivy "echo 'FATAL image scan error: unable to find the specified image' >&2; exit 1"
        $r = Invoke-OpsChildPwsh -Script "try { Invoke-OpsImageScan -Image nope:1 } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" -Environment @{ PATH = "${bin}:$env:PATH" }
        $r.StdOut | Should -Match 'ImageScanFailed,OpsRunbook.Commands.InvokeOpsImageScanCommand'
        $r.StdOut | Should -Match 'unable to find the specified image'
        $hang = New-FakeTrivy 'sleep 60'
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $r = Invoke-OpsChildPwsh -Script "try { Invoke-OpsImageScan -Image api:1 -Timeout 2s } catch { `$_.FullyQualifiedErrorId }" -Environment @{ PATH = "${hang}:$env:PATH" }
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 30
        $r.StdOut | Should -Match 'ProcessTimeout,OpsRunbook.Commands.InvokeOpsImageScanCommand'
    }

    It 'without trivy and without -ReportPath: ImageScannerNotInstalled saying how to install trivy' {
        $r = Invoke-OpsChildPwsh -Script "try { Invoke-OpsImageScan -Image api:1.42.0 } catch { `$_.FullyQualifiedErrorId; `$_.ErrorDetails.RecommendedAction }" -Environment @{ PATH = '/usr/bin:/bin' }
        $r.StdOut | Should -Match 'ImageScannerNotInstalled,OpsRunbook.Commands.InvokeOpsImageScanCommand'
        $r.StdOut | Should -Match 'apt-get install trivy'
        $r.StdOut | Should -Match '-ReportPath'
    }

    It 'a file that is not a trivy report is ImageScanReportInvalid' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content $bad '{"SchemaVersion": 1, "Results": []}'
        { Invoke-OpsImageScan -ReportPath $bad } | Should -Throw -ErrorId 'ImageScanReportInvalid,OpsRunbook.Commands.InvokeOpsImageScanCommand'
        Set-Content $bad 'not json'
        { Invoke-OpsImageScan -ReportPath $bad } | Should -Throw -ErrorId 'ImageScanReportInvalid,OpsRunbook.Commands.InvokeOpsImageScanCommand'
    }
}

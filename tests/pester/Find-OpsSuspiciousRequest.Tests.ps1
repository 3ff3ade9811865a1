<#
    Attacks sent to the sandbox's real nginx with curl, then found in the log nginx wrote; benign lookalikes sent
    the same way must not be reported. (The 200+200 corpus with the detection and false-positive rates is in xUnit:
    SecurityScanTests.)
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $sb = Get-OpsSandbox
    $base = "http://127.0.0.1:$($sb.Ports.Nginx)"
    $log = Join-Path $sb.LogDir 'access.log'
    $before = (Get-Item $log).Length
    $script:Attacks = @(
        @{ Target = '/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--'; Category = 'SqlInjection' }
        @{ Target = '/static/..%252f..%252fetc/passwd'; Category = 'PathTraversal' }
        @{ Target = '/search?q=%3Cscript%3Ealert(1)%3C/script%3E'; Category = 'Xss' }
        @{ Target = '/api/ping?host=127.0.0.1%3Bcat%20/etc/passwd'; Category = 'CommandInjection' }
    )
    foreach ($a in $script:Attacks) { $null = & curl -s -o /dev/null --path-as-is -A 'Mozilla/5.0' "$base$($a.Target)" }
    $null = & curl -s -o /dev/null -A 'sqlmap/1.7.2#stable (https://sqlmap.org)' "$base/"
    $null = & curl -s -o /dev/null -A '() { :; }; /bin/bash -c id' "$base/static/x"
    foreach ($b in '/docs/union-station', '/search?q=a+or+b', '/search?q=%3C3', '/api/items?select=name', '/authors/O%27Brien') { $null = & curl -s -o /dev/null -A 'Mozilla/5.0' "$base$b" }
    Start-Sleep -Milliseconds 300
    $fs = [IO.File]::Open($log, 'Open', 'Read', 'ReadWrite'); $fs.Position = $before
    $script:Log = Join-Path $TestDrive 'access.log'
    $out = [IO.File]::Create($script:Log); $fs.CopyTo($out); $out.Dispose(); $fs.Dispose()
}

Describe 'Find-OpsSuspiciousRequest' {
    It 'finds each attack nginx logged, with the status nginx answered, and nothing in the benign requests' {
        $r = @(Find-OpsSuspiciousRequest -Path $script:Log)
        foreach ($a in $script:Attacks) {
            $hit = $r | Where-Object { $_.Uri -eq $a.Target -and $_.Category -eq $a.Category }
            $hit | Should -Not -BeNullOrEmpty -Because "$($a.Target) is $($a.Category)"
            $hit.Status | Should -BeGreaterThan 0
            $hit.ClientIp | Should -Be '127.0.0.1'
        }
        ($r | Where-Object Category -eq 'Scanner').UserAgent | Should -Match 'sqlmap'
        ($r | Where-Object Rule -eq '932-shellshock') | Should -Not -BeNullOrEmpty
        $r | Where-Object { $_.Uri -match 'union-station|a\+or\+b|q=%3C3|select=name|O%27Brien' } | Should -BeNullOrEmpty
        ($r | Group-Object ClientIp).Name | Should -Be '127.0.0.1'
        ($r | Where-Object { $_.Category -eq 'PathTraversal' -and $_.Uri -like '/static/*' }).DecodedUri | Should -Be '/static/../../etc/passwd'
    }

    It 'filters by -Category and streams into the pipeline' {
        $r = @(Find-OpsSuspiciousRequest -Path $script:Log -Category Xss)
        $r.Category | Sort-Object -Unique | Should -Be 'Xss'
        @(Find-OpsSuspiciousRequest -Path $script:Log | Select-Object -First 1).Count | Should -Be 1
    }

    It 'reads the environment''s access log by default and shows a table' {
        $r = @(Find-OpsSuspiciousRequest -Since 1h)
        $r.Count | Should -BeGreaterOrEqual 6
        ($r | Out-String -Width 200) | Should -Match 'Rule\s+Evidence'
    }
}

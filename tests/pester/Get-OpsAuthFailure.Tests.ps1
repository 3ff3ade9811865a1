BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    # sshd lines as Debian's rsyslog writes them (classic format), written "now" so -Since 24h keeps them.
    $script:Ssh = Join-Path $TestDrive 'auth.log'
    $t = (Get-Date).AddHours(-1)
    $ssh = foreach ($i in 0..5) { '{0} web1 sshd[{1}]: Failed password for invalid user oracle from 192.0.2.50 port {2} ssh2' -f $t.AddSeconds($i * 30).ToString('MMM d HH:mm:ss', [cultureinfo]::InvariantCulture).PadLeft(0), (900 + $i), (50000 + $i) }
    $ssh += '{0} web1 sshd[999]: Accepted publickey for deploy from 192.0.2.9 port 40000 ssh2' -f $t.ToString('MMM d HH:mm:ss', [cultureinfo]::InvariantCulture)
    $ssh | ForEach-Object { $_ -replace '^(\w{3}) (\d) ', '$1  $2 ' } | Set-Content $script:Ssh
}

Describe 'Get-OpsAuthFailure' {
    It 'flags the source that brute-forces the API (sandbox auth log) and keeps single failures apart' {
        $r = @(Get-OpsAuthFailure)
        $brute = $r | Where-Object Key -eq '203.0.113.66'
        ($brute.Count, $brute.BruteForce, $brute.MaxInWindow) | Should -Be (15, $true, 15)
        $brute.Users | Should -Be @('admin0', 'admin1', 'admin2')
        $brute.Origins | Should -Be 'Api'
        $one = $r | Where-Object Key -eq '198.51.100.20'
        ($one.Count, $one.BruteForce) | Should -Be (1, $false)
        $r[0].Key | Should -Be '203.0.113.66' -Because 'brute-forcers come first'
    }

    It 'reads sshd lines of auth.log and groups by user' {
        $r = @(Get-OpsAuthFailure -SshLogPath $script:Ssh -ApiLogPath @() -Threshold 5 -Window 5m)
        $r.Count | Should -Be 1
        ($r[0].Key, $r[0].Count, $r[0].BruteForce, $r[0].MaxInWindow) | Should -Be ('192.0.2.50', 6, $true, 6)
        $r[0].Origins | Should -Be 'Ssh'
        $u = @(Get-OpsAuthFailure -SshLogPath $script:Ssh -GroupBy User)
        $u.Key | Should -Contain 'oracle'
        $u.Key | Should -Contain 'admin0'
        @(Get-OpsAuthFailure -SshLogPath $script:Ssh -ApiLogPath @() -Threshold 7).BruteForce | Should -Be $false
    }

    It 'shows a table and exports ISO 8601 times' {
        (Get-OpsAuthFailure | Out-String) | Should -Match 'BruteForce'
        (Get-OpsAuthFailure | ConvertTo-Csv | ConvertFrom-Csv)[0].LastSeen | Should -Match '^\d{4}-\d\d-\d\dT'
    }
}

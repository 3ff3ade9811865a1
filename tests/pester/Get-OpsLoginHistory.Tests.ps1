<#
    Get-OpsLoginHistory reads wtmp (utmp records) directly; util-linux `last -F -f <file>` on the same file is the oracle.
    The test writes its own wtmp: logins with logouts, a tty reused, a crash, a clean shutdown, a reboot still running,
    a session with no logout, IPv6 and empty hosts.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    if (-not (Get-Command last -ErrorAction Ignore)) { throw 'util-linux last is needed as the oracle (apt-get install util-linux).' }

    function script:New-UtmpRecord([int16] $Type, [int] $ProcessId, [string] $Line, [string] $Id, [string] $User, [string] $HostName, [long] $Time) {
        # struct utmp of glibc on x86_64/aarch64: 384 bytes, little-endian.
        $b = [byte[]]::new(384)
        [BitConverter]::GetBytes($Type).CopyTo($b, 0)
        [BitConverter]::GetBytes($ProcessId).CopyTo($b, 4)
        foreach ($f in @(@{ O = 8; V = $Line }, @{ O = 40; V = $Id }, @{ O = 44; V = $User }, @{ O = 76; V = $HostName })) {
            $bytes = [Text.Encoding]::UTF8.GetBytes($f.V); $bytes.CopyTo($b, $f.O)
        }
        [BitConverter]::GetBytes([int]$Time).CopyTo($b, 340)
        [BitConverter]::GetBytes([int]123456).CopyTo($b, 344)
        , $b
    }

    $base = [DateTimeOffset]::UtcNow.AddDays(-5).ToUnixTimeSeconds()
    $records = @(
        , @(2, 0, '~', '~~', 'reboot', '6.1.0-test', $base)
        , @(1, (20000 + [int][char]'5'), '~', '~~', 'runlevel', '6.1.0-test', ($base + 5))
        , @(6, 900, 'tty1', 'tty1', 'LOGIN', '', ($base + 50))
        , @(7, 1001, 'pts/0', 'ts/0', 'alice', '198.51.100.20', ($base + 100))
        , @(7, 1002, 'pts/1', 'ts/1', 'bob', '203.0.113.9', ($base + 200))
        , @(8, 1001, 'pts/0', 'ts/0', '', '', ($base + 3700))
        , @(7, 1003, 'pts/0', 'ts/0', 'carol', '', ($base + 4000))
        , @(7, 1004, 'tty1', 'tty1', 'root', '', ($base + 4100))
        , @(8, 1004, 'tty1', 'tty1', '', '', ($base + 4100 + 86400 + 7380))
        , @(7, 1007, 'pts/4', 'ts/4', 'frank', '10.0.0.7', ($base + 5000))
        , @(7, 1008, 'pts/4', 'ts/4', 'grace', '10.0.0.8', ($base + 5030))
        , @(8, 1008, 'pts/4', 'ts/4', '', '', ($base + 5040))
        , @(1, (20000 + [int][char]'0'), '~', '~~', 'shutdown', '6.1.0-test', ($base + 90000))
        , @(2, 0, '~', '~~', 'reboot', '6.1.0-test', ($base + 90100))
        , @(7, 1005, 'pts/2', 'ts/2', 'dave', '2001:db8::1', ($base + 90200))
        , @(2, 0, '~', '~~', 'reboot', '6.1.0-test', ($base + 100000))
        , @(7, 1006, 'pts/3', 'ts/3', 'erin', '192.0.2.1', ($base + 100100))
    )
    $script:Wtmp = Join-Path $TestDrive 'wtmp'
    $fs = [IO.File]::Create($script:Wtmp)
    foreach ($r in $records) { $rec = New-UtmpRecord @r; $fs.Write($rec, 0, $rec.Length) }
    $fs.Dispose()

    function script:Get-LastRows([string[]] $Arguments) {
        # last -F in UTC, parsed: user, tty, host, login, then the logout time and duration or last's words.
        $env:TZ = 'UTC'
        try { $out = & last -F -f $script:Wtmp @Arguments } finally { Remove-Item Env:TZ }
        $stamp = '\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}'
        foreach ($line in $out) {
            if ($line -notmatch "^(?<user>\S+)\s+(?<tty>system boot|\S+)\s+(?<host>\S*)\s+(?<login>$stamp)\s+(?<rest>.*)$") { continue }
            $m = $Matches
            $row = [ordered]@{ User = $m.user; Tty = $m.tty; Host = $m.host.Trim(); Login = [datetime]::ParseExact(($m.login -replace '\s+', ' '), 'ddd MMM d HH:mm:ss yyyy', [cultureinfo]::InvariantCulture) }
            $rest = $m.rest.Trim()
            if ($rest -match "^- (?<out>$stamp)\s+\((?<dur>[^)]+)\)$") { $row.Status = 'time'; $row.Logout = [datetime]::ParseExact(($Matches.out -replace '\s+', ' '), 'ddd MMM d HH:mm:ss yyyy', [cultureinfo]::InvariantCulture); $row.Duration = $Matches.dur }
            elseif ($rest -match '^- (?<why>crash|down)\s+\((?<dur>[^)]+)\)$') { $row.Status = $Matches.why; $row.Duration = $Matches.dur }
            else { $row.Status = $rest }
            [pscustomobject]$row
        }
    }
    function script:Format-LastDuration($ms) {
        $t = [timespan]::FromMilliseconds($ms)
        if ($t.Days) { '{0}+{1:hh\:mm}' -f $t.Days, $t } else { '{0:hh\:mm}' -f $t }
    }
}

Describe 'Get-OpsLoginHistory against last -F' {
    It 'lists the same rows as last -F, in the same order, with the same ends and durations' {
        $oracle = @(Get-LastRows)
        $mine = @(Get-OpsLoginHistory -Path $Wtmp -Last 100)
        $oracle.Count | Should -Be 11
        $mine.Count | Should -Be $oracle.Count
        for ($i = 0; $i -lt $oracle.Count; $i++) {
            $o = $oracle[$i]; $m = $mine[$i]
            $why = "row $i ($($o.User) $($o.Tty))"
            $m.User | Should -Be $o.User -Because $why
            $m.Tty | Should -Be $o.Tty -Because $why
            $m.Host | Should -Be $o.Host -Because $why
            $m.Login.UtcDateTime.ToString('s') | Should -Be $o.Login.ToString('s') -Because $why
            switch ($o.Status) {
                'time' { $m.Logout.UtcDateTime.ToString('s') | Should -Be $o.Logout.ToString('s') -Because $why; $m.Status | Should -BeIn 'logged out', 'shut down' -Because $why }
                'crash' { $m.Status | Should -Be 'crash' -Because $why }
                'down' { $m.Status | Should -Be 'down' -Because $why }
                default { $m.Status | Should -Be $o.Status -Because $why; $m.Logout | Should -BeNullOrEmpty -Because $why }
            }
            if ($o.Duration) { Format-LastDuration $m.DurationMs | Should -Be $o.Duration -Because $why }
        }
        # The cases the file was made for.
        ($mine | Where-Object User -eq frank).Logout.ToUnixTimeSeconds() | Should -Be (($mine | Where-Object User -eq grace).Login.ToUnixTimeSeconds()) -Because 'a login on the same tty ends the one before'
        ($mine | Where-Object User -eq dave).Status | Should -Be 'crash'
        ($mine | Where-Object User -eq erin).Status | Should -Be 'gone - no logout'
        @($mine | Where-Object Kind -eq Boot).Count | Should -Be 3
        $mine.User | Should -Not -Contain 'LOGIN'
    }

    It '-Last N is last -n N; -User filters' {
        $three = @(Get-LastRows -Arguments '-n', '3')
        (Get-OpsLoginHistory -Path $Wtmp -Last 3).User | Should -Be $three.User
        (Get-OpsLoginHistory -Path $Wtmp -User 'a*', bob).User | Should -Be @('bob', 'alice')
        @(Get-OpsLoginHistory -Path $Wtmp).Count | Should -Be 11 -Because 'the default is 20 rows'
    }

    It 'a file that is not whole utmp records, or cannot be read, is LoginHistoryUnreadable' {
        Set-Content (Join-Path $TestDrive 'junk') 'not wtmp'
        { Get-OpsLoginHistory -Path (Join-Path $TestDrive 'junk') -ErrorAction Stop } | Should -Throw -ErrorId 'LoginHistoryUnreadable,*'
        { Get-OpsLoginHistory -Path (Join-Path $TestDrive 'none') -ErrorAction Stop } | Should -Throw -ErrorId 'LoginHistoryUnreadable,*'
    }

    It 'reads the real /var/log/wtmp by default, as many rows as last -n 5' {
        $n = @(Get-OpsLoginHistory -Last 5).Count
        $n | Should -Be @(& last -F -n 5 | Where-Object { $_ -and $_ -notmatch '^wtmp begins' }).Count
    }
}

<#
    Get-OpsSudoEvent: sudo's command lines of an auth.log and its rotations (plain and gzip), read with the one log
    reader; pam_unix session lines and other programs are left out; refusals are flagged.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    $now = [DateTime]::Now
    function script:Stamp([datetime] $t) { $t.ToString('MMM ', [cultureinfo]::InvariantCulture) + $t.Day.ToString().PadLeft(2) + $t.ToString(' HH:mm:ss', [cultureinfo]::InvariantCulture) }
    $script:Dir = Join-Path $TestDrive 'log'; $null = New-Item -ItemType Directory $script:Dir
    $t1 = $now.AddDays(-3); $t2 = $now.AddHours(-5); $t3 = $now.AddHours(-2); $t4 = $now.AddMinutes(-30); $old = $now.AddDays(-20)
    # The oldest rotation, gzip-compressed: one command from 20 days ago.
    $gz = [IO.File]::Create((Join-Path $Dir 'auth.log.2.gz'))
    $z = [IO.Compression.GZipStream]::new($gz, [IO.Compression.CompressionLevel]::Optimal)
    $bytes = [Text.Encoding]::UTF8.GetBytes("$(Stamp $old) web1 sudo:    alice : TTY=pts/9 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt-get upgrade`n")
    $z.Write($bytes, 0, $bytes.Length); $z.Dispose(); $gz.Dispose()
    (Get-Item (Join-Path $Dir 'auth.log.2.gz')).LastWriteTime = $old
    @(
        "$(Stamp $t1) web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"
        "$(Stamp $t1) web1 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)"
        "$(Stamp $t1) web1 sshd[811]: Accepted publickey for alice from 198.51.100.20 port 50022 ssh2"
    ) | Set-Content (Join-Path $Dir 'auth.log.1')
    (Get-Item (Join-Path $Dir 'auth.log.1')).LastWriteTime = $t1
    @(
        "$(Stamp $t2) web1 sudo:      bob : TTY=pts/1 ; PWD=/srv/app ; USER=postgres ; COMMAND=/usr/bin/psql -c select 1 ; echo done"
        "$(Stamp $t3) web1 sudo:  mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/cat /etc/shadow"
        "$(Stamp $t4) web1 sudo:      bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/srv/app ; USER=root ; COMMAND=/bin/bash"
        "$(Stamp $t4) web1 CRON[900]: pam_unix(cron:session): session opened for user root"
    ) | Set-Content (Join-Path $Dir 'auth.log')
    $script:Log = Join-Path $Dir 'auth.log'
}

Describe 'Get-OpsSudoEvent' {
    It 'reads the commands of the last 7 days from the log and its rotations, oldest first, with every field' {
        $e = @(Get-OpsSudoEvent -Path $Log -ErrorAction Stop)
        $e.Count | Should -Be 4
        $e.User | Should -Be @('alice', 'bob', 'mallory', 'bob')
        $e[0].Tty | Should -Be 'pts/0'
        $e[0].RunAs | Should -Be 'root'
        $e[0].Command | Should -Be '/usr/bin/systemctl restart nginx'
        $e[0].Pwd | Should -Be '/home/alice'
        $e[0].Host | Should -Be 'web1'
        $e[0].Allowed | Should -BeTrue
        $e[0].File | Should -BeLike '*auth.log.1'
        $e[1].RunAs | Should -Be 'postgres'
        $e[1].Command | Should -Be '/usr/bin/psql -c select 1 ; echo done' -Because 'COMMAND= takes the rest of the line'
        $e[0].Time | Should -BeOfType [datetimeoffset]
        [math]::Abs(($e[0].Time - [datetimeoffset]$now.AddDays(-3)).TotalSeconds) | Should -BeLessThan 2
    }

    It 'flags refusals with the reason; -Refused and -User filter' {
        $r = @(Get-OpsSudoEvent -Path $Log -Refused)
        $r.User | Should -Be @('mallory', 'bob')
        $r[0].Reason | Should -Be 'user NOT in sudoers'
        $r[1].Reason | Should -Be '3 incorrect password attempts'
        $r.Allowed | Should -Not -Contain $true
        (Get-OpsSudoEvent -Path $Log -User 'b*').Command | Should -Be @('/usr/bin/psql -c select 1 ; echo done', '/bin/bash')
    }

    It '-Since reaches into the gzip rotation; -Until bounds the end' {
        (Get-OpsSudoEvent -Path $Log -Since 30d)[0].Command | Should -Be '/usr/bin/apt-get upgrade'
        @(Get-OpsSudoEvent -Path $Log -Since 30d -Until ([datetimeoffset]::Now.AddDays(-10))).Count | Should -Be 1
        @(Get-OpsSudoEvent -Path $Log -Since 1h).User | Should -Be @('bob')
    }

    It 'reads logs.systemAuth of the config when no -Path is given; a missing file is LogFileNotFound' {
        $cfg = New-OpsTestConfig -Name sudo.yaml -Text "defaultEnvironment: p`nenvironments:`n  p:`n    logs: { directory: '$Dir', systemAuth: '$Log' }"
        @(Get-OpsSudoEvent -ConfigPath $cfg).Count | Should -Be 4
        { Get-OpsSudoEvent -Path (Join-Path $TestDrive 'none.log') -ErrorAction Stop } | Should -Throw -ErrorId 'LogFileNotFound,*'
    }
}

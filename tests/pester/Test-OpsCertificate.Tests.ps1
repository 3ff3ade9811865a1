<#
    Test-OpsCertificate and the Certificates health family against the sandbox's real nginx serving openssl-made
    certificates (tests/sandbox/Sandbox.psm1 Write-SandboxCertificates): one signed by the sandbox CA, an expired one,
    one for the wrong host name and a self-signed one; openssl x509 is the oracle for the fields.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $sb = Get-OpsSandbox
    $script:P = $sb.Ports
    $script:Tls = Join-Path $sb.Directory 'tls'
    $script:Ca = Join-Path $script:Tls 'ca.pem'
    function script:Get-OpensslField([string] $Pem, [string] $Option) {
        ((& openssl x509 -in $Pem -noout $Option) -replace '^[^=]+=', '').Trim()
    }
}

Describe 'Test-OpsCertificate over TLS' {
    BeforeAll {
        $script:ByPort = @{}
        foreach ($one in Test-OpsCertificate -Target "127.0.0.1:$($P.TlsValid)", "localhost:$($P.TlsExpired)", "127.0.0.1:$($P.TlsWrongHost)", "127.0.0.1:$($P.TlsSelfSigned)" -CaFile $Ca -ErrorAction Stop) {
            $script:ByPort[($one.Target -split ':')[-1]] = $one
        }
    }

    It 'reports the valid certificate as openssl reads it: Healthy, chain to the sandbox CA, host name matched' {
        $r = $ByPort["$($P.TlsValid)"]
        $r.Status | Should -Be 'Healthy'
        $r.ChainValid | Should -BeTrue
        $r.HostnameMatches | Should -BeTrue
        $r.Source | Should -Be 'Tls'
        $r.SANs | Should -Be @('localhost', '127.0.0.1')
        $pem = Join-Path $Tls 'valid.pem'
        $notAfter = [datetimeoffset]::ParseExact(((Get-OpensslField $pem '-enddate') -replace '\s+', ' '), 'MMM d HH:mm:ss yyyy GMT', [cultureinfo]::InvariantCulture, 'AssumeUniversal')
        $r.NotAfter | Should -Be $notAfter
        $r.DaysLeft | Should -BeGreaterThan 60
        [math]::Abs($r.DaysLeft - ($notAfter - [datetimeoffset]::UtcNow).TotalDays) | Should -BeLessThan 0.2
        $r.Issuer | Should -Match 'CN=OpsRunbook Sandbox CA'
        $r.Subject | Should -Match 'CN=localhost'
        $r.Thumbprint | Should -Be ((& openssl x509 -in $pem -noout -fingerprint -sha1) -replace '^.*=' -replace ':')
    }

    It 'says the expired one is Critical with negative days left' {
        $r = $ByPort["$($P.TlsExpired)"]
        $r.Status | Should -Be 'Critical'
        $r.DaysLeft | Should -BeLessThan 0
        $r.NotAfter | Should -Be ([datetimeoffset]'2024-02-01T00:00:00Z')
        $r.ChainValid | Should -BeFalse
        $r.HostnameMatches | Should -BeTrue
        $r.Message | Should -Match '^expired 2024-02-01'
    }

    It 'says the wrong host name is Critical although its chain is valid' {
        $r = $ByPort["$($P.TlsWrongHost)"]
        $r.Status | Should -Be 'Critical'
        $r.ChainValid | Should -BeTrue
        $r.HostnameMatches | Should -BeFalse
        $r.SANs | Should -Be @('wrong.example.test')
        $r.Message | Should -Match 'not valid for 127\.0\.0\.1'
    }

    It 'says the self-signed one is Critical: untrusted, even with the CA file' {
        $r = $ByPort["$($P.TlsSelfSigned)"]
        $r.Status | Should -Be 'Critical'
        $r.SelfSigned | Should -BeTrue
        $r.ChainValid | Should -BeFalse
        $r.ChainStatus | Should -Match 'UntrustedRoot'
    }

    It 'without the sandbox CA, the valid one has no trusted chain' {
        $r = Test-OpsCertificate -Target "127.0.0.1:$($P.TlsValid)" -ConfigPath (New-OpsTestConfig -Text "environments: { production: {} }`ndefaultEnvironment: production") -ErrorAction Stop
        $r.ChainValid | Should -BeFalse
        $r.Status | Should -Be 'Critical'
    }

    It 'warns from -WarnDays and is critical from -CriticalDays' {
        (Test-OpsCertificate "127.0.0.1:$($P.TlsValid)" -CaFile $Ca -WarnDays 3000 -CriticalDays 5).Status | Should -Be 'Warning'
        (Test-OpsCertificate "127.0.0.1:$($P.TlsValid)" -CaFile $Ca -WarnDays 3000 -CriticalDays 2999).Status | Should -Be 'Critical'
        { Test-OpsCertificate "127.0.0.1:$($P.TlsValid)" -WarnDays 5 -CriticalDays 10 -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateThresholdsInvalid,*'
    }

    It 'a closed port is a per-target error, CertificateUnreachable, and the other targets still report' {
        $r = @(Test-OpsCertificate "127.0.0.1:$(Get-OpsFreePort)", "127.0.0.1:$($P.TlsValid)" -CaFile $Ca -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'CertificateUnreachable,*'
        { Test-OpsCertificate "127.0.0.1:$(Get-OpsFreePort)" -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateUnreachable,*'
    }

    It 'bounds the handshake: a port that accepts but never speaks TLS is an error within -TimeoutSeconds' {
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start()
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            { Test-OpsCertificate "127.0.0.1:$($l.LocalEndpoint.Port)" -TimeoutSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateUnreachable,*'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally { $l.Stop() }
    }
}

Describe 'Test-OpsCertificate on PEM files' {
    It 'reads each file; -HostName checks the name; a missing file is CertificateFileInvalid' {
        $r = @(Test-OpsCertificate -Path (Join-Path $Tls '*.pem') -CaFile $Ca -HostName localhost)
        ($r.Target | Split-Path -Leaf) | Should -Be @('ca.pem', 'expired.pem', 'selfsigned.pem', 'valid.pem', 'wronghost.pem')
        ($r | Where-Object { $_.Status -eq 'Healthy' }).Target | Split-Path -Leaf | Should -Be 'valid.pem'
        $r[0].Source | Should -Be 'File'
        (Test-OpsCertificate -Path (Join-Path $Tls 'valid.pem')).HostnameMatches | Should -BeNullOrEmpty
        { Test-OpsCertificate -Path (Join-Path $TestDrive 'none.pem') -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateFileInvalid,*'
        Set-Content (Join-Path $TestDrive 'junk.pem') 'not a certificate'
        { Test-OpsCertificate -Path (Join-Path $TestDrive 'junk.pem') -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateFileInvalid,*'
    }
}

Describe 'Certificates health family and CertificateCheck.ps1' {
    BeforeAll {
        $text = (Get-OpsSandboxConfigText) -replace "certificates: \{ targets: \[[^\]]*\]", "certificates: { targets: [ '127.0.0.1:$($P.TlsValid)', 'localhost:$($P.TlsExpired)', '127.0.0.1:$($P.TlsWrongHost)', '127.0.0.1:$($P.TlsSelfSigned)', '127.0.0.1:$(Get-OpsFreePort)' ], paths: [ '$Tls/valid.pem' ]"
        $script:Cfg = New-OpsTestConfig -Text $text -Name 'certs.yaml'
    }

    It 'the sandbox config (only the valid certificate) is Healthy; Test-OpsCertificate with no target uses certificates:' {
        $h = @(Get-OpsHealth -Check Certificates)
        $h.Count | Should -Be 1
        $h[0].Status | Should -Be 'Healthy'
        $h[0].Unit | Should -Be 'days'
        (Test-OpsCertificate).Target | Should -Be "127.0.0.1:$($P.TlsValid)"
    }

    It 'gives one row per target and file: Critical for the bad ones and the closed port, with the next step' {
        $h = @(Get-OpsHealth -ConfigPath $Cfg -Check Certificates)
        $h.Count | Should -Be 6
        ($h | Where-Object Status -eq 'Healthy').Count | Should -Be 2
        ($h | Where-Object Status -eq 'Critical').Count | Should -Be 4
        ($h | Where-Object Status -eq 'Critical')[0].NextStep | Should -Match 'Test-OpsCertificate'
    }

    It 'CertificateCheck.ps1 exits 0 on the sandbox and 2 with a bad certificate, one line per certificate' {
        $rb = Join-Path (Get-OpsRepoRoot) 'examples/runbooks/CertificateCheck.ps1'
        $ok = Invoke-OpsChildPwsh -Script "& '$rb'; exit `$LASTEXITCODE"
        $ok.ExitCode | Should -Be 0 -Because $ok.StdOut
        $ok.StdOut | Should -Match "certificate 127\.0\.0\.1:$($P.TlsValid): Healthy"
        $bad = Invoke-OpsChildPwsh -Script "& '$rb' -ConfigPath '$Cfg'; exit `$LASTEXITCODE"
        $bad.ExitCode | Should -Be 2 -Because $bad.StdOut
        ([regex]::Matches($bad.StdOut, 'certificate ')).Count | Should -Be 6
    }

    It 'Test-OpsConfig rejects a target that is not host:port and criticalDays above warnDays' {
        $bad = New-OpsTestConfig -Name 'badcerts.yaml' -Text "defaultEnvironment: p`nenvironments:`n  p:`n    certificates: { targets: [ 'no-port' ], warnDays: 5, criticalDays: 9 }"
        $p = @(Test-OpsConfig -ConfigPath $bad)
        $p.Path | Should -Contain 'environments.p.certificates.targets'
        $p.Path | Should -Contain 'environments.p.certificates.criticalDays'
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Port = (Get-OpsSandbox).Ports.Nginx
}

Describe 'Get-OpsNetworkConnection' {
    It 'lists what listens, as ss does' {
        $r = @(Get-OpsNetworkConnection -Port $script:Port -State Listen)
        $r.Count | Should -Be 1
        ($r.LocalAddress, $r.LocalPort, $r.State) | Should -Be ('127.0.0.1', $script:Port, 'Listen')
        $ss = @(& ss -Htln | Where-Object { $_ -match "[:\]]$($script:Port)\s" })
        $ss.Count | Should -Be 1
    }

    It 'counts established connections to a port like ss (the DDoS check)' {
        $clients = 1..3 | ForEach-Object { $c = [Net.Sockets.TcpClient]::new(); $c.Connect('127.0.0.1', $script:Port); $c }
        try {
            $r = @(Get-OpsNetworkConnection -Port $script:Port -State Established)
            $ss = @(& ss -Htn state established "( sport = :$($script:Port) or dport = :$($script:Port) )")
            $r.Count | Should -Be $ss.Count
            $r.Count | Should -BeGreaterOrEqual 6 -Because 'each of 3 connections has two ends on loopback'
            ($r | Group-Object RemoteAddress | Sort-Object Count -Descending)[0].Name | Should -Be '127.0.0.1'
        }
        finally { $clients | ForEach-Object Dispose }
        (Get-OpsNetworkConnection -State Listen | Out-String) | Should -Match 'RemotePort'
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $script:Dir = New-Item -ItemType Directory (Join-Path $TestDrive 'api')
    $t = [datetimeoffset]::UtcNow.AddHours(-2)
    $lines = foreach ($i in 1..500) {
        $s = $t.AddSeconds($i).ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)
        if ($i % 10 -eq 0) { "$s ERROR Payment $i failed for customer 'cus_$i': card_declined" }
        elseif ($i % 25 -eq 1) { "$s FATAL Worker crashed at 0x7f3a$($i)ff" }
        else { "$s INFO GET /api/items/$i 200 ${i}ms" }
    }
    $lines | Set-Content "$script:Dir/api.log"
}

Describe 'Get-OpsLogError' {
    It 'groups ERROR and FATAL lines by masked message, counting as rg does' {
        $r = @(Get-OpsLogError -Path "$script:Dir/api.log")
        $r.Count | Should -Be 2
        $pay = $r | Where-Object Message -like 'Payment*'
        $pay.Message | Should -Be 'Payment <n> failed for customer <q>: card_declined'
        $pay.Count | Should -Be ([int](& rg -c ' ERROR ' "$script:Dir/api.log"))
        ($r | Where-Object Level -eq 'FATAL').Count | Should -Be ([int](& rg -c ' FATAL ' "$script:Dir/api.log"))
        $pay.Sample | Should -Match 'Payment 500 failed'
        $pay.Files | Should -Be "$script:Dir/api.log"
        $pay.LastSeen | Should -BeGreaterThan $pay.FirstSeen
    }

    It 'reads the API logs of the environment by default and filters with -Match (the errors alias too)' {
        $all = @(Get-OpsLogError)
        $all.Count | Should -BeGreaterThan 0
        $hooks = @(errors -Since 24h -Match webhook)
        $hooks.Count | Should -Be 1
        $hooks[0].Message | Should -Be 'Stripe webhook evt_<n> failed: signature verification error (status <n>)'
        $hooks[0].Files | ForEach-Object { $_ | Should -Match 'api-\d{4}-\d\d-\d\d\.log' }
        @(Get-OpsLogError -Since 1m -Match 'no such message').Count | Should -Be 0
        @(Get-OpsLogError -Since 7d).Count | Should -Be $all.Count -Because '7d unquoted is the decimal literal 7: days'
    }

    It 'fails clearly on a bad regex and goes on past a missing file' {
        { Get-OpsLogError -Path "$script:Dir/api.log" -Match '(' } | Should -Throw -ErrorId 'InvalidLogMatch,OpsRunbook.Commands.GetOpsLogErrorCommand'
        $r = Get-OpsLogError -Path "$script:Dir/nope.log", "$script:Dir/api.log" -ErrorVariable e -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 2
        $e[0].FullyQualifiedErrorId | Should -Be 'LogFileNotFound,OpsRunbook.Commands.GetOpsLogErrorCommand'
    }

    It '-Until alone looks back the default 24 h from -Until, not from now (the one window rule, TimeWindow)' {
        $old = [datetimeoffset]::UtcNow.AddHours(-30)
        $f = Join-Path $TestDrive 'old.log'
        1..5 | ForEach-Object { "$($old.AddSeconds($_).ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)) ERROR Old failure $_" } | Set-Content $f
        $r = @(Get-OpsLogError -Path $f -Until 26h)
        $r.Count | Should -Be 1
        $r[0].Count | Should -Be 5
        @(Get-OpsLogError -Path $f).Count | Should -Be 0 -Because 'without -Until the window is the last 24 h'
    }

    It 'shows a table and exports ISO 8601 times' {
        (Get-OpsLogError -Path "$script:Dir/api.log" | Out-String) | Should -Match 'Count\s+Level\s+LastSeen'
        $csv = Get-OpsLogError -Path "$script:Dir/api.log" | ConvertTo-Csv | ConvertFrom-Csv
        $csv[0].LastSeen | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$'
    }
}

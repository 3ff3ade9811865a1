<#
    Measure-OpsAccessLog on the log a real nginx wrote under load from wrk, checked against an independent
    computation (the logged values sorted here, nearest rank), plus hand-built logs for the edge cases and bad input.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
    Assert-OpsSandbox
    $sb = Get-OpsSandbox

    # Real traffic: wrk for a bounded time over static paths, a 404, a 500 and the proxied API (with ids in the path).
    $lua = Join-Path $TestDrive 'paths.lua'
    @'
local paths = { "/static/a.css", "/missing", "/broken", "/api/health", "/api/media/123?x=1", "/api/media/456", "/static/b.js?v=3" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
'@ | Set-Content $lua
    $log = Join-Path $sb.LogDir 'access.log'
    $before = if (Test-Path $log) { (Get-Item $log).Length } else { 0 }
    $null = & wrk -t1 -c4 -d2s --timeout 2s -s $lua "http://127.0.0.1:$($sb.Ports.Nginx)/" 2>&1
    Start-Sleep -Milliseconds 300   # nginx writes its log line after the response
    # The lines this test produced, as nginx wrote them.
    $fs = [IO.File]::Open($log, 'Open', 'Read', 'ReadWrite'); $fs.Position = $before
    $script:Real = Join-Path $TestDrive 'real-access.log'
    $out = [IO.File]::Create($script:Real); $fs.CopyTo($out); $out.Dispose(); $fs.Dispose()

    # The oracle: parse with a regex of our own, sort, nearest rank.
    $script:Rx = '^(\S+) - \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+|-) "[^"]*" "[^"]*" (\d+\.\d+)(?: (\S+))?$'
    function script:Oracle([string[]] $Lines) {
        $m = foreach ($l in $Lines) { if ($l -match $script:Rx) { [pscustomobject]@{ Status = [int]$Matches[5]; Ms = [int]([decimal]$Matches[7] * 1000); Bytes = [long]($Matches[6] -replace '-', '0'); Path = $Matches[4] } } }
        $sorted = [int[]]@($m.Ms | Sort-Object)
        $rank = { param($p) $sorted[[math]::Max(1, [math]::Ceiling($p / 100 * $sorted.Count)) - 1] }
        [pscustomobject]@{
            Requests = $m.Count; P50 = & $rank 50; P95 = & $rank 95; P99 = & $rank 99; Max = $sorted[-1]
            Mean = [math]::Round(($sorted | Measure-Object -Average).Average, 3); Bytes = ($m.Bytes | Measure-Object -Sum).Sum
            S5 = @($m | Where-Object Status -ge 500).Count; S4 = @($m | Where-Object { $_.Status -ge 400 -and $_.Status -lt 500 }).Count
        }
    }
    function script:AppendLong([string] $Path) { [IO.File]::AppendAllText($Path, ('x' * 1MB) + "`n") }
    function script:AccessLine($Ip, [datetimeoffset] $T, $Request, $Status, $Ms, $Upstream = '-') {
        '{0} - - [{1}] "{2}" {3} 10 "-" "test" {4} {5}' -f $Ip, $T.ToString('dd/MMM/yyyy:HH:mm:ss +0000', [cultureinfo]::InvariantCulture), $Request, $Status, ('{0:0.000}' -f ($Ms / 1000)), $Upstream
    }
}

Describe 'Measure-OpsAccessLog' {
    It 'reads the log nginx wrote under wrk load: counts and percentiles equal an independent computation' {
        $lines = Get-Content $script:Real
        $lines.Count | Should -BeGreaterThan 200 -Because 'wrk ran for 2 s'
        $o = Oracle $lines
        $r = Measure-OpsAccessLog -Path $script:Real -ConfigPath (Get-OpsSandbox).ConfigPath
        $r.Requests | Should -Be $o.Requests
        $r.UnparsedLines | Should -Be 0
        ($r.P50Ms, $r.P95Ms, $r.P99Ms, $r.MaxMs) | Should -Be ($o.P50, $o.P95, $o.P99, $o.Max)
        $r.MeanMs | Should -Be $o.Mean
        $r.Bytes | Should -Be $o.Bytes
        $r.Status5xx | Should -Be $o.S5
        $r.Status4xx | Should -Be $o.S4
        $r.Status5xx | Should -BeGreaterThan 0 -Because '/broken answers 500'
        $r.ErrorRate | Should -Be ([math]::Round($o.S5 / $o.Requests, 6))
        $r.UpstreamP95Ms | Should -Not -BeNullOrEmpty -Because 'the sandbox logs $upstream_response_time for /api/'
    }

    It 'groups by endpoint with ids and query strings folded, each group matching the oracle' {
        $r = @(Measure-OpsAccessLog -Path $script:Real -GroupBy Endpoint)
        $r.Key | Should -Contain 'GET /api/media/:id'
        $r.Key | Should -Contain 'GET /static/b.js'
        $r.Key | Should -Not -Contain 'GET /api/media/123'
        $lines = Get-Content $script:Real
        $media = Oracle @($lines | Where-Object { $_ -match '"GET /api/media/\d+' })
        $g = $r | Where-Object Key -eq 'GET /api/media/:id'
        ($g.Requests, $g.P95Ms, $g.MaxMs) | Should -Be ($media.Requests, $media.P95, $media.Max)
        ($r | Measure-Object Requests -Sum).Sum | Should -Be (Oracle $lines).Requests
        (Measure-OpsAccessLog -Path $script:Real -GroupBy Status | Where-Object Key -eq '404').Requests | Should -Be @($lines | Where-Object { $_ -match '" 404 ' }).Count
    }

    It 'reads the environment''s access log (logs.access) without -Path' {
        $r = Measure-OpsAccessLog
        $r.Requests | Should -BeGreaterOrEqual (Oracle (Get-Content $script:Real)).Requests
    }

    It 'handles one line, equal values, an IPv6 client, a "-" upstream time, rotations and a time window' {
        $t = [datetimeoffset]'2026-12-01T10:00:00Z'
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'edge')
        AccessLine '2001:db8::5' $t 'GET /only HTTP/1.1' 200 42 | Set-Content "$dir/one.log"
        $one = Measure-OpsAccessLog -Path "$dir/one.log"
        ($one.Requests, $one.P50Ms, $one.P99Ms, $one.MaxMs, $one.UpstreamP95Ms) | Should -Be (1, 42, 42, 42, $null)
        (Measure-OpsAccessLog -Path "$dir/one.log" -GroupBy Client).Key | Should -Be '2001:db8::5'

        1..50 | ForEach-Object { AccessLine '10.0.0.1' $t.AddMinutes($_) 'GET /same HTTP/1.1' 200 7 } | Set-Content "$dir/access.log.1"
        $gz = [IO.Compression.GZipStream]::new([IO.File]::Create("$dir/access.log.2.gz"), [IO.Compression.CompressionLevel]::Fastest)
        $bytes = [Text.Encoding]::UTF8.GetBytes(((1..10 | ForEach-Object { AccessLine '10.0.0.2' $t.AddSeconds($_) 'GET /old HTTP/1.1' 503 900 '0.850' }) -join "`n") + "`n")
        $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose()
        AccessLine '10.0.0.3' $t.AddHours(2) 'GET /new HTTP/1.1' 200 7 | Set-Content "$dir/access.log"
        (Get-Item "$dir/access.log.2.gz").LastWriteTime = (Get-Date).AddHours(-2)
        (Get-Item "$dir/access.log.1").LastWriteTime = (Get-Date).AddHours(-1)
        $all = Measure-OpsAccessLog -Path "$dir/access.log"
        ($all.Requests, $all.Status5xx, $all.P50Ms, $all.MaxMs, $all.UpstreamP95Ms) | Should -Be (61, 10, 7, 900, 850)
        $all.First | Should -Be $t.AddSeconds(1)
        $w = Measure-OpsAccessLog -Path "$dir/access.log" -Since $t.AddMinutes(10) -Until $t.AddMinutes(20)
        $w.Requests | Should -Be 11
        @(Measure-OpsAccessLog -Path "$dir/access.log" -GroupBy Minute -Top 3).Count | Should -Be 3
    }

    It 'goes on past bad input, reporting each problem with a stable id' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'bad')
        $t = [datetimeoffset]::UtcNow.AddMinutes(-5)
        $good = 1..20 | ForEach-Object { AccessLine '10.1.1.1' $t 'GET /ok HTTP/1.1' 200 5 }
        $good + @('garbage that is no access log line') | Set-Content "$dir/a.log"
        [IO.File]::WriteAllBytes("$dir/b.log", [byte[]](@(1..3000 | ForEach-Object { $_ % 256 })))
        [IO.File]::AppendAllText("$dir/b.log", "`n" + ($good -join "`n") + "`n")
        AppendLong "$dir/a.log"
        $gzPath = "$dir/c.log.gz"
        $gz = [IO.Compression.GZipStream]::new([IO.File]::Create($gzPath), [IO.Compression.CompressionLevel]::Fastest)
        $bytes = [Text.Encoding]::UTF8.GetBytes((1..20000 | ForEach-Object { AccessLine '10.2.2.2' $t "GET /gz/$_ HTTP/1.1" 200 5 }) -join "`n")
        $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose()
        $b = [IO.File]::ReadAllBytes($gzPath); [IO.File]::WriteAllBytes($gzPath, $b[0..($b.Length / 2)])

        $r = Measure-OpsAccessLog -Path "$dir/a.log", "$dir/b.log", "$dir/nope.log", $gzPath -ErrorVariable errs -WarningVariable warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $r.Requests | Should -BeGreaterThan 40
        $r.Requests | Should -BeLessThan 20040
        $r.UnparsedLines | Should -BeGreaterOrEqual 1
        $errs.FullyQualifiedErrorId | Should -Contain 'LogFileNotFound,OpsRunbook.Commands.MeasureOpsAccessLogCommand'
        $errs.FullyQualifiedErrorId | Should -Contain 'LogGzipCorrupt,OpsRunbook.Commands.MeasureOpsAccessLogCommand'
        ($warns -join "`n") | Should -Match 'LogLinesUnparsed'
        ($warns -join "`n") | Should -Match 'LogBinaryData'
        ($warns -join "`n") | Should -Match 'LogLineTooLong'
        { Measure-OpsAccessLog -Path "$dir/nope.log" -ErrorAction Stop } | Should -Throw -ErrorId 'LogFileNotFound,OpsRunbook.Commands.MeasureOpsAccessLogCommand'
    }

    It 'reads JSON lines and a custom log_format from the config' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'fmt')
        '{"time_iso8601":"2026-12-02T10:00:00+00:00","remote_addr":"::1","request":"GET /j/1 HTTP/1.1","status":200,"body_bytes_sent":5,"request_time":0.031}' | Set-Content "$dir/json.log"
        (Measure-OpsAccessLog -Path "$dir/json.log" -GroupBy Endpoint).Key | Should -Be 'GET /j/:id'
        '2026-12-02T10:00:00+00:00|1.2.3.4|GET|/c/9|404|0.250' | Set-Content "$dir/custom.log"
        $cfg = New-OpsTestConfig -Name 'fmt.yaml' -Text @"
defaultEnvironment: prod
environments:
  prod:
    logs: { directory: '$dir', access: custom.log, accessFormat: '`$time_iso8601|`$remote_addr|`$request_method|`$uri|`$status|`$request_time', endpointRules: [ { pattern: '^/c/:id$', replacement: '/c/:code' } ] }
"@
        $r = Measure-OpsAccessLog -ConfigPath $cfg -GroupBy Endpoint
        ($r.Key, $r.Status4xx, $r.P95Ms) | Should -Be ('GET /c/:code', 1, 250)
    }

    It 'exports clean CSV: ISO 8601 times, raw numbers' {
        $csv = Join-Path $TestDrive 'a.csv'
        Measure-OpsAccessLog -Path $script:Real -GroupBy Status | Export-Csv $csv
        $rows = Import-Csv $csv
        $rows[0].First | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$'
        [double]$rows[0].ErrorRate | Should -BeGreaterOrEqual 0
        (Measure-OpsAccessLog -Path $script:Real -GroupBy Status | Out-String) | Should -Match 'P95ms'
    }
}


<#
    The OpsRunbook sandbox: real PostgreSQL 15 (with pg_stat_statements), Redis, nginx, s3rver and a
    stand-in for the platform's API (reading real BullMQ queues), all on loopback ports under a
    git-ignored folder (.sandbox/ by default). Start twice: harmless. Stop: clean.

    Ports are $env:OPSRUNBOOK_SANDBOX_PORT_BASE (default 25430: below the kernel's ephemeral range 32768-60999, so no client socket can hold a sandbox port) plus the offsets in Get-OpsSandbox
    (+0 postgres, +1 redis, +2 nginx, +3 s3rver, +4 api, and +5..+29 reserved for the other stand-ins).
    $env:OPSRUNBOOK_SANDBOX_DIR moves the folder. Both let several checkouts run their own sandbox side
    by side: give each a base at least 30 apart.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:PgBin = '/usr/lib/postgresql/15/bin'
$script:QueueNames = @('media-processing', 'embeddings')

function Get-OpsSandbox {
    <# Where the sandbox lives, its ports and its config file. Starts nothing. #>
    [CmdletBinding()]
    param()
    $dir = if ($env:OPSRUNBOOK_SANDBOX_DIR) { $env:OPSRUNBOOK_SANDBOX_DIR } else { Join-Path $script:RepoRoot '.sandbox' }
    $base = if ($env:OPSRUNBOOK_SANDBOX_PORT_BASE) { [int]$env:OPSRUNBOOK_SANDBOX_PORT_BASE } else { 25430 }
    $pgDir = Get-SandboxPgDirectory $dir
    [pscustomobject]@{
        Directory  = $dir
        ConfigPath = Join-Path $dir 'ops.yaml'
        LogDir     = Join-Path $dir 'logs'
        PgDir      = $pgDir
        PgSocket   = Join-Path $pgDir 'run'
        # One block of 30 ports per sandbox. Offsets are fixed so every part of the sandbox knows where the others are.
        Ports      = [pscustomobject]@{
            Postgres = $base; Redis = $base + 1; Nginx = $base + 2; S3 = $base + 3; Api = $base + 4
            StripeApi = $base + 5; WebhookReceiver = $base + 6; CostExplorer = $base + 7; StripeStatus = $base + 8
            Prometheus = $base + 9; Pushgateway = $base + 10; NodeExporterA = $base + 11; NodeExporterB = $base + 12
            SshA = $base + 13; SshB = $base + 14; Smtp = $base + 15; NotifyReceiver = $base + 16; StatusPage = $base + 17
            TlsValid = $base + 18; TlsExpired = $base + 19; TlsWrongHost = $base + 20; TlsSelfSigned = $base + 21
            Metrics = $base + 22; S3Logging = $base + 23; NpmRegistry = $base + 24
        }
    }
}

function Get-SandboxPgDirectory([string] $Directory) {
    <#
        PostgreSQL runs as the 'postgres' user, which must be able to reach its data directory. A clone under a
        private folder (mktemp -d, a home directory with mode 700) is not reachable: then the data lives in
        /tmp/opsrunbook-pg-<hash of the sandbox folder>, and <sandbox>/pg-location records where.
    #>
    if ($script:PgDirCache.ContainsKey($Directory)) { return $script:PgDirCache[$Directory] }
    $inside = Join-Path $Directory 'pg'
    $probe = $Directory
    while (-not (Test-Path $probe)) { $probe = Split-Path $probe }
    & runuser -u postgres -- test -x $probe *> $null
    $result = if ($LASTEXITCODE -eq 0) { $inside } else {
        $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Directory))).Substring(0, 12).ToLowerInvariant()
        "/tmp/opsrunbook-pg-$hash"
    }
    $script:PgDirCache[$Directory] = $result
    $result
}
$script:PgDirCache = @{}

function Invoke-Native {
    # Runs a native command, throwing with its output when it fails.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [switch] $PassThru, [string] $What)
    $out = & $FilePath @ArgumentList 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "$(if ($What) { $What } else { $FilePath }) failed (exit $LASTEXITCODE): $(($out | Out-String).Trim())"
    }
    if ($PassThru) { $out }
}

function Test-TcpPort([int] $Port, [int] $TimeoutMs = 300) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { return $client.ConnectAsync('127.0.0.1', $Port).Wait($TimeoutMs) -and $client.Connected }
    catch { return $false }
    finally { $client.Dispose() }
}

function Assert-PortFree([int] $Port, [string] $Name) {
    # Called only when our own pid file says the service is not running: a listener there belongs to someone else.
    if (Test-TcpPort $Port) {
        throw "Cannot start the sandbox's $Name on 127.0.0.1:${Port}: another process already listens there (another sandbox or checkout?). Stop it, or pick other ports with `$env:OPSRUNBOOK_SANDBOX_PORT_BASE (a block of 30 consecutive ports)."
    }
}

function Wait-TcpPort([int] $Port, [string] $Name, [int] $TimeoutSeconds = 20, [string] $LogFile) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (Test-TcpPort $Port) { return }
        Start-Sleep -Milliseconds 100
    }
    $tail = if ($LogFile -and (Test-Path $LogFile)) { "`n" + ((Get-Content $LogFile -Tail 20) -join "`n") } else { '' }
    throw "Sandbox $Name did not start listening on 127.0.0.1:$Port within $TimeoutSeconds s.$tail"
}

function Test-PidFile([string] $PidFile) {
    if (-not (Test-Path $PidFile)) { return $false }
    $procId = (Get-Content $PidFile -Raw).Trim()
    return [bool]($procId -match '^\d+$' -and (Test-Path "/proc/$procId"))
}

function Stop-PidFile([string] $PidFile, [string] $Name) {
    if (-not (Test-PidFile $PidFile)) { Remove-Item $PidFile -ErrorAction Ignore; return }
    $procId = [int](Get-Content $PidFile -Raw).Trim()
    & kill -TERM $procId 2>$null
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((Test-Path "/proc/$procId") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    if (Test-Path "/proc/$procId") { & kill -KILL $procId 2>$null }
    Remove-Item $PidFile -ErrorAction Ignore
    Write-Verbose "Stopped $Name ($procId)."
}

function Start-Detached([string] $WorkingDirectory, [string] $Command, [string] $LogFile, [string] $PidFile, [hashtable] $Environment = @{}) {
    # setsid: the daemon outlives this pwsh and ignores Ctrl+C in the terminal that started it.
    $exports = ($Environment.GetEnumerator() | ForEach-Object { "export $($_.Key)='$($_.Value -replace "'", "'\''")';" }) -join ' '
    # ';' not '&&': only the daemon goes to the background, so no subshell keeps our stdout open.
    $script = "cd '$WorkingDirectory' || exit 1; $exports setsid $Command > '$LogFile' 2>&1 < /dev/null & echo `$!"
    $procId = (& bash -c $script).Trim()
    Set-Content -Path $PidFile -Value $procId
}

function Get-SandboxSecrets([string] $Directory) {
    $file = Join-Path $Directory 'secrets.json'
    if (-not (Test-Path $file)) {
        $rand = { -join ((48..57) + (65..90) + (97..122) | Get-Random -Count 24 | ForEach-Object { [char]$_ }) }
        [ordered]@{
            DB_PASSWORD           = & $rand
            APP_DB_PASSWORD       = & $rand
            REDIS_PASSWORD        = & $rand
            AWS_ACCESS_KEY_ID     = 'S3RVER'
            AWS_SECRET_ACCESS_KEY = 'S3RVER'
        } | ConvertTo-Json | Set-Content -Path $file
        & chmod 600 $file
    }
    $json = Get-Content $file -Raw | ConvertFrom-Json -AsHashtable
    # Secrets added after a sandbox was first made join its existing file.
    $added = $false
    foreach ($kv in @{ STRIPE_SECRET_KEY = 'sk_test_'; STRIPE_WEBHOOK_SECRET = 'whsec_'; STATUSPAGE_API_KEY = 'sp_' }.GetEnumerator()) {
        if (-not $json.ContainsKey($kv.Key)) {
            $json[$kv.Key] = $kv.Value + (-join ((48..57) + (65..90) + (97..122) | Get-Random -Count 24 | ForEach-Object { [char]$_ }))
            $added = $true
        }
    }
    if ($added) { $json | ConvertTo-Json | Set-Content -Path $file; & chmod 600 $file }
    $json
}

function Get-OpsSandboxEnvironment {
    <# The environment variables the sandbox's ops.yaml refers to (secrets included). #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()
    $sb = Get-OpsSandbox
    $vars = Get-SandboxSecrets $sb.Directory
    $vars['OPSRUNBOOK_CONFIG'] = $sb.ConfigPath
    # The sandbox's notification webhook (a secret in real life): the NotifyReceiver port, where tests start a receiver.
    $vars['OPS_WEBHOOK_URL'] = "http://127.0.0.1:$($sb.Ports.NotifyReceiver)/services/T0SANDBOX/B0SANDBOX/sandboxwebhooktoken"
    $vars
}

function Import-OpsSandboxEnvironment {
    <# Sets the sandbox's variables ($env:DB_PASSWORD, $env:OPSRUNBOOK_CONFIG, ...) in this process. #>
    [CmdletBinding()]
    param()
    foreach ($kv in (Get-OpsSandboxEnvironment).GetEnumerator()) {
        [Environment]::SetEnvironmentVariable($kv.Key, [string]$kv.Value)
    }
}

function Invoke-OpsSandboxSql {
    <# Runs SQL as the postgres superuser over the sandbox's unix socket; returns psql's output lines. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Sql,
        [string] $Database = 'app',
        [hashtable] $Variables = @{}
    )
    $sb = Get-OpsSandbox
    $vars = foreach ($kv in $Variables.GetEnumerator()) { '-v'; "$($kv.Key)=$($kv.Value)" }
    Invoke-Native -FilePath "$script:PgBin/psql" -What 'psql' -PassThru -ArgumentList (@(
            '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', $sb.PgSocket, '-p', "$($sb.Ports.Postgres)", '-U', 'postgres', '-d', $Database
        ) + @($vars) + @('-c', $Sql))
}

function Start-SandboxPostgres($sb, $secrets) {
    $pg = $sb.PgDir
    if ($pg -ne (Join-Path $sb.Directory 'pg')) { Set-Content (Join-Path $sb.Directory 'pg-location') $pg }
    $data = Join-Path $pg 'data'
    $log = Join-Path $pg 'postgres.log'
    $null = New-Item -ItemType Directory -Force -Path $pg, $sb.PgSocket
    & chown postgres:postgres $pg $sb.PgSocket
    Push-Location /tmp   # initdb/pg_ctl run as postgres and need a readable working directory
    try {
        if (-not (Test-Path (Join-Path $data 'PG_VERSION'))) {
            Invoke-Native runuser -What initdb -ArgumentList @('-u', 'postgres', '--', "$script:PgBin/initdb", '-D', $data, '-U', 'postgres',
                '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8')
            @(
                '', '# OpsRunbook sandbox'
                "listen_addresses = '127.0.0.1'"
                "shared_preload_libraries = 'pg_stat_statements'"
                'pg_stat_statements.track = all'
                'max_connections = 60'
                'superuser_reserved_connections = 3'
                'fsync = off                 # a throwaway sandbox: speed over durability'
                'synchronous_commit = off'
                'full_page_writes = off'
                'track_io_timing = on'
            ) | Add-Content -Path (Join-Path $data 'postgresql.conf')
        }
        & runuser -u postgres -- "$script:PgBin/pg_ctl" -D $data status *> $null
        if ($LASTEXITCODE -ne 0) {
            Assert-PortFree $sb.Ports.Postgres 'PostgreSQL'
            Invoke-Native runuser -What 'pg_ctl start' -ArgumentList @('-u', 'postgres', '--', "$script:PgBin/pg_ctl", '-D', $data, '-l', $log, '-w', '-t', '30',
                '-o', "-p $($sb.Ports.Postgres) -k $($sb.PgSocket)", 'start')
        }
    }
    finally { Pop-Location }

    $dbPass = $secrets.DB_PASSWORD; $appPass = $secrets.APP_DB_PASSWORD
    Invoke-OpsSandboxSql -Database postgres -Sql @"
DO `$`$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ops') THEN CREATE ROLE ops LOGIN SUPERUSER; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app LOGIN; END IF;
END `$`$;
ALTER ROLE ops PASSWORD '$dbPass';
ALTER ROLE app PASSWORD '$appPass';
"@ | Out-Null
    foreach ($db in 'app', 'app_staging') {
        $exists = Invoke-OpsSandboxSql -Database postgres -Sql "SELECT 1 FROM pg_database WHERE datname = '$db'"
        if (-not $exists) { Invoke-OpsSandboxSql -Database postgres -Sql "CREATE DATABASE $db OWNER ops" | Out-Null }
        Invoke-Native "$script:PgBin/psql" -What "schema.sql into $db" -ArgumentList @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $sb.PgSocket,
            '-p', "$($sb.Ports.Postgres)", '-U', 'ops', '-d', $db, '-f', (Join-Path $PSScriptRoot 'schema.sql'))
        Invoke-OpsSandboxSql -Database $db -Sql 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app;' | Out-Null
    }
}

function Initialize-OpsSandboxData {
    <# Loads synthetic data (scale 1 = 1,000 users) into a sandbox database whose tables are empty. #>
    [CmdletBinding()]
    param([int] $Scale = 1, [string] $Database = 'app', [switch] $Force)
    $sb = Get-OpsSandbox
    $count = [int](Invoke-OpsSandboxSql -Database $Database -Sql 'SELECT count(*) FROM users')
    if ($count -gt 0 -and -not $Force) { Write-Verbose "$Database already has $count users."; return }
    if ($Force) {
        Invoke-OpsSandboxSql -Database $Database -Sql 'TRUNCATE users, user_activity, media_items, search_history, embeddings, cost_tracking RESTART IDENTITY CASCADE' | Out-Null
    }
    Invoke-Native "$script:PgBin/psql" -What 'seed.sql' -ArgumentList @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', "scale=$Scale", '-h', $sb.PgSocket,
        '-p', "$($sb.Ports.Postgres)", '-U', 'ops', '-d', $Database, '-f', (Join-Path $PSScriptRoot 'seed.sql'))
}

function Start-SandboxRedis($sb, $secrets) {
    $dir = Join-Path $sb.Directory 'redis'
    $pidFile = Join-Path $dir 'redis.pid'
    $null = New-Item -ItemType Directory -Force -Path $dir
    if (Test-PidFile $pidFile) { return }
    Assert-PortFree $sb.Ports.Redis 'Redis'
    Invoke-Native redis-server -What 'redis-server' -ArgumentList @('--port', "$($sb.Ports.Redis)", '--bind', '127.0.0.1', '--daemonize', 'yes',
        '--dir', $dir, '--pidfile', $pidFile, '--logfile', (Join-Path $dir 'redis.log'), '--save', '', '--appendonly', 'no',
        '--requirepass', $secrets.REDIS_PASSWORD, '--maxmemory', '256mb', '--maxmemory-policy', 'noeviction')
    Wait-TcpPort $sb.Ports.Redis 'redis' -LogFile (Join-Path $dir 'redis.log')
}

function Write-SandboxCertificates($sb) {
    <#
        openssl-made certificates for the TLS checks (Test-OpsCertificate), in .sandbox/tls: a sandbox CA (ca.pem), and
        four server certificates nginx serves on the Tls* ports: valid (signed by the CA, localhost and 127.0.0.1, a year),
        expired (signed by the CA, January 2024), wronghost (signed by the CA, only wrong.example.test) and selfsigned.
        Made once; a valid one with less than 60 days left is made again.
    #>
    $dir = Join-Path $sb.Directory 'tls'
    $valid = Join-Path $dir 'valid.pem'
    if ((Test-Path $valid) -and (Test-Path (Join-Path $dir 'selfsigned.pem'))) {
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content $valid -Raw))
        if ($cert.NotAfter -gt [DateTime]::Now.AddDays(60)) { return }
    }
    if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $dir 'newcerts')
    Set-Content -Path (Join-Path $dir 'index.txt') -Value '' -NoNewline
    Set-Content -Path (Join-Path $dir 'serial') -Value '1000'
    @"
[ ca ]
default_ca = sandbox
[ sandbox ]
dir = $dir
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
email_in_dn = no
[ any ]
commonName = supplied
organizationName = optional
"@ | Set-Content -Path (Join-Path $dir 'ca.cnf')
    $key = @('-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes')
    Invoke-Native openssl -What 'openssl req (sandbox CA)' -ArgumentList (@('req', '-x509') + $key + @('-keyout', "$dir/ca.key", '-out', "$dir/ca.pem", '-days', '3650',
        '-subj', '/O=OpsRunbook Sandbox/CN=OpsRunbook Sandbox CA'))
    foreach ($c in @(@{ Name = 'valid'; San = 'DNS:localhost,IP:127.0.0.1'; Dates = @('-days', '397') },
                     @{ Name = 'expired'; San = 'DNS:localhost,IP:127.0.0.1'; Dates = @('-startdate', '20240101000000Z', '-enddate', '20240201000000Z') },
                     @{ Name = 'wronghost'; San = 'DNS:wrong.example.test'; Dates = @('-days', '397') })) {
        $n = $c.Name
        Set-Content -Path "$dir/$n.ext" -Value @("subjectAltName=$($c.San)", 'extendedKeyUsage=serverAuth', 'basicConstraints=CA:FALSE')
        $cn = if ($n -eq 'wronghost') { 'wrong.example.test' } else { 'localhost' }
        Invoke-Native openssl -What "openssl req ($n)" -ArgumentList (@('req', '-new') + $key + @('-keyout', "$dir/$n.key", '-out', "$dir/$n.csr", '-subj', "/O=OpsRunbook Sandbox/CN=$cn"))
        Invoke-Native openssl -What "openssl ca ($n)" -ArgumentList (@('ca', '-batch', '-config', "$dir/ca.cnf", '-cert', "$dir/ca.pem", '-keyfile', "$dir/ca.key",
            '-in', "$dir/$n.csr", '-out', "$dir/$n.pem", '-extfile', "$dir/$n.ext", '-notext') + $c.Dates)
    }
    Invoke-Native openssl -What 'openssl req (self-signed)' -ArgumentList (@('req', '-x509') + $key + @('-keyout', "$dir/selfsigned.key", '-out', "$dir/selfsigned.pem",
        '-days', '397', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'))
}

function Start-SandboxNginx($sb) {
    $dir = Join-Path $sb.Directory 'nginx'
    $pidFile = Join-Path $dir 'nginx.pid'
    $tls = Join-Path $sb.Directory 'tls'
    $null = New-Item -ItemType Directory -Force -Path $dir, (Join-Path $dir 'temp'), $sb.LogDir
    # The TLS servers of the certificate checks: one port per certificate (Tls* ports), no access log.
    $tlsServers = foreach ($t in @(@{ Port = $sb.Ports.TlsValid; Name = 'valid' }, @{ Port = $sb.Ports.TlsExpired; Name = 'expired' },
                                   @{ Port = $sb.Ports.TlsWrongHost; Name = 'wronghost' }, @{ Port = $sb.Ports.TlsSelfSigned; Name = 'selfsigned' })) {
        "    server { listen 127.0.0.1:$($t.Port) ssl; ssl_certificate $tls/$($t.Name).pem; ssl_certificate_key $tls/$($t.Name).key; access_log off; location / { return 200 `"$($t.Name)\n`"; } }"
    }
    $conf = @"
# Generated by tests/sandbox/Sandbox.psm1
user root;
worker_processes 1;
pid $pidFile;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    log_format timed '`$remote_addr - `$remote_user [`$time_local] "`$request" `$status `$body_bytes_sent "`$http_referer" "`$http_user_agent" `$request_time `$upstream_response_time';
    access_log $($sb.LogDir)/access.log timed;
    client_body_temp_path $dir/temp/client;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    server {
        listen 127.0.0.1:$($sb.Ports.Nginx);
        location /api/ { proxy_pass http://127.0.0.1:$($sb.Ports.Api); }
        location = /nginx_status { stub_status; }
        # Static paths for the access-log tests (Measure-OpsAccessLog): a page, a missing file and a server error.
        location /static/ { return 200 "static page\n"; }
        location = /missing { return 404; }
        location = /broken { return 500; }
        location / { return 200 "ok\n"; }
    }
$($tlsServers -join "`n")
}
"@
    $confPath = Join-Path $dir 'nginx.conf'
    if (Test-PidFile $pidFile) {
        # Running: a config written by an older sandbox (without the TLS servers) is replaced and reloaded.
        if ((Get-Content $confPath -Raw -ErrorAction Ignore) -ne ($conf + [Environment]::NewLine)) {
            Set-Content -Path $confPath -Value $conf
            Invoke-Native nginx -What 'nginx reload' -ArgumentList @('-p', $dir, '-c', $confPath, '-e', (Join-Path $dir 'error.log'), '-s', 'reload')
            Wait-TcpPort $sb.Ports.TlsSelfSigned 'nginx (TLS)' -LogFile (Join-Path $dir 'error.log')
        }
        return
    }
    foreach ($port in $sb.Ports.Nginx, $sb.Ports.TlsValid, $sb.Ports.TlsExpired, $sb.Ports.TlsWrongHost, $sb.Ports.TlsSelfSigned) { Assert-PortFree $port 'nginx' }
    Set-Content -Path $confPath -Value $conf
    Invoke-Native nginx -What nginx -ArgumentList @('-p', $dir, '-c', (Join-Path $dir 'nginx.conf'), '-e', (Join-Path $dir 'error.log'))
    Wait-TcpPort $sb.Ports.Nginx 'nginx' -LogFile (Join-Path $dir 'error.log')
    Wait-TcpPort $sb.Ports.TlsSelfSigned 'nginx (TLS)' -LogFile (Join-Path $dir 'error.log')
}

function Start-SandboxNode($sb, $secrets) {
    $node = Join-Path $PSScriptRoot 'node'
    if (-not (Test-Path (Join-Path $node 'node_modules/s3rver'))) { throw "npm packages are missing in ${node}: run ./build.ps1 Bootstrap." }
    $s3 = Join-Path $sb.Directory 's3'
    $api = Join-Path $sb.Directory 'api'
    $null = New-Item -ItemType Directory -Force -Path $s3, (Join-Path $s3 'data'), $api
    if (-not (Test-PidFile (Join-Path $s3 's3rver.pid'))) {
        Assert-PortFree $sb.Ports.S3 's3rver'
        Start-Detached -WorkingDirectory $node -LogFile (Join-Path $s3 's3rver.log') -PidFile (Join-Path $s3 's3rver.pid') `
            -Command "node node_modules/s3rver/bin/s3rver.js -d '$s3/data' -a 127.0.0.1 -p $($sb.Ports.S3) --silent --configure-bucket backups" `
            -Environment @{ NODE_OPTIONS = '--openssl-legacy-provider' }  # s3rver's ListObjectsV2 continuation tokens use DES (OpenSSL 3 legacy)
        Wait-TcpPort $sb.Ports.S3 's3rver' -LogFile (Join-Path $s3 's3rver.log')
    }
    if (-not (Test-PidFile (Join-Path $api 'api.pid'))) {
        Assert-PortFree $sb.Ports.Api 'API stand-in'
        Start-Detached -WorkingDirectory $node -LogFile (Join-Path $api 'api.log') -PidFile (Join-Path $api 'api.pid') -Command 'node api-stub.mjs' -Environment @{
            PORT = $sb.Ports.Api; REDIS_HOST = '127.0.0.1'; REDIS_PORT = $sb.Ports.Redis; REDIS_PASSWORD = $secrets.REDIS_PASSWORD
            QUEUE_PREFIX = 'bull'; QUEUE_NAMES = ($script:QueueNames -join ','); HEALTH_FLAG = (Join-Path $api 'unhealthy')
        }
        Wait-TcpPort $sb.Ports.Api 'api stand-in' -LogFile (Join-Path $api 'api.log')
    }
    Start-SandboxPayments $sb $secrets
    Start-SandboxStatusPage $sb $secrets
}

function Start-SandboxStatusPage($sb, $secrets) {
    # The Atlassian Statuspage REST API stand-in (statuspage-stub.mjs): components and incidents, OAuth key checked.
    $node = Join-Path $PSScriptRoot 'node'
    $dir = Join-Path $sb.Directory 'statuspage'
    $null = New-Item -ItemType Directory -Force -Path $dir
    if (Test-PidFile (Join-Path $dir 'statuspage.pid')) { return }
    Assert-PortFree $sb.Ports.StatusPage 'Statuspage stand-in'
    Start-Detached -WorkingDirectory $node -LogFile (Join-Path $dir 'statuspage.log') -PidFile (Join-Path $dir 'statuspage.pid') -Command 'node statuspage-stub.mjs' -Environment @{
        PORT = $sb.Ports.StatusPage; STATUSPAGE_API_KEY = $secrets.STATUSPAGE_API_KEY; STATUSPAGE_PAGE_ID = 'sandboxpage'
    }
    Wait-TcpPort $sb.Ports.StatusPage 'Statuspage stand-in' -LogFile (Join-Path $dir 'statuspage.log')
}

function Start-SandboxPayments($sb, $secrets) {
    # The Stripe API, webhook receiver, Cost Explorer and Stripe status page stand-ins: one node process (payments-stub.mjs).
    $node = Join-Path $PSScriptRoot 'node'
    $dir = Join-Path $sb.Directory 'payments'
    $null = New-Item -ItemType Directory -Force -Path $dir
    if (Test-PidFile (Join-Path $dir 'payments.pid')) { return }
    $p = $sb.Ports
    foreach ($port in $p.StripeApi, $p.WebhookReceiver, $p.CostExplorer, $p.StripeStatus) { Assert-PortFree $port 'payments stand-in' }
    Start-Detached -WorkingDirectory $node -LogFile (Join-Path $dir 'payments.log') -PidFile (Join-Path $dir 'payments.pid') -Command 'node payments-stub.mjs' -Environment @{
        STRIPE_API_PORT = $p.StripeApi; WEBHOOK_PORT = $p.WebhookReceiver; COST_EXPLORER_PORT = $p.CostExplorer; STATUS_PORT = $p.StripeStatus
        STRIPE_SECRET_KEY = $secrets.STRIPE_SECRET_KEY; STRIPE_WEBHOOK_SECRET = $secrets.STRIPE_WEBHOOK_SECRET
        AWS_ACCESS_KEY_ID = $secrets.AWS_ACCESS_KEY_ID; AWS_SECRET_ACCESS_KEY = $secrets.AWS_SECRET_ACCESS_KEY
    }
    foreach ($port in $p.StripeApi, $p.WebhookReceiver, $p.CostExplorer, $p.StripeStatus) { Wait-TcpPort $port 'payments stand-in' -LogFile (Join-Path $dir 'payments.log') }
}

function Invoke-OpsSandboxStub {
    <#
        Talks to a payments stand-in's test controls: -Action Reset, Calls (what it received) or Control (-Body: a hashtable sent as JSON).
        StripeApi: rateLimit/retryAfter/add/delivered; WebhookReceiver: mode ok|fail|hang, status; CostExplorer: pageSize, throttle;
        StripeStatus: indicator, description, degrade @{ API = 'major_outage' }, incidents, hang, status.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('StripeApi', 'WebhookReceiver', 'CostExplorer', 'StripeStatus', 'StatusPage')] [string] $Stub,
        [Parameter(Mandatory)] [ValidateSet('Reset', 'Calls', 'Control', 'Events')] [string] $Action,
        [hashtable] $Body = @{}
    )
    $port = (Get-OpsSandbox).Ports.$Stub
    switch ($Action) {
        'Reset' { $null = Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:$port/_reset" -TimeoutSec 10 }
        # Invoke-RestMethod writes a JSON array as one object: enumerate it.
        'Calls' { $r = Invoke-RestMethod -Uri "http://127.0.0.1:$port/_calls" -TimeoutSec 10; foreach ($x in $r) { $x } }
        'Events' { $r = Invoke-RestMethod -Uri "http://127.0.0.1:$port/_events" -TimeoutSec 10; foreach ($x in $r) { $x } }
        'Control' { $null = Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:$port/_control" -Body ($Body | ConvertTo-Json -Depth 5) -ContentType 'application/json' -TimeoutSec 10 }
    }
}

function Start-SandboxMetrics($sb) {
    # The API's /metrics (a stand-in serving a fixed request-duration histogram that grows per scrape) and a real
    # Prometheus (Debian package) scraping it every second: Get-OpsApiMetric -Url / -Prometheus and the KPIs read them.
    $node = Join-Path $PSScriptRoot 'node'
    $dir = Join-Path $sb.Directory 'prometheus'
    $null = New-Item -ItemType Directory -Force -Path $dir, (Join-Path $dir 'data'), (Join-Path $dir 'rules')
    if (-not (Test-PidFile (Join-Path $dir 'metrics.pid'))) {
        Assert-PortFree $sb.Ports.Metrics 'metrics stand-in'
        Start-Detached -WorkingDirectory $node -LogFile (Join-Path $dir 'metrics.log') -PidFile (Join-Path $dir 'metrics.pid') -Command 'node metrics-stub.mjs' -Environment @{ PORT = $sb.Ports.Metrics }
        Wait-TcpPort $sb.Ports.Metrics 'metrics stand-in' -LogFile (Join-Path $dir 'metrics.log')
    }
    if (-not (Test-PidFile (Join-Path $dir 'prometheus.pid'))) {
        Assert-PortFree $sb.Ports.Prometheus 'Prometheus'
        @"
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [ '$dir/rules/*.yml' ]
scrape_configs:
  - job_name: api
    static_configs: [ { targets: [ '127.0.0.1:$($sb.Ports.Metrics)' ] } ]
  # The fleet (Start-SandboxFleet): each host's node_exporter textfile collector, labelled with the host's name,
  # and the Pushgateway, whose job and instance labels (the push's grouping key) are kept.
  - job_name: node
    static_configs:
      - { targets: [ '127.0.0.1:$($sb.Ports.NodeExporterA)' ], labels: { instance: ops-host-a } }
      - { targets: [ '127.0.0.1:$($sb.Ports.NodeExporterB)' ], labels: { instance: ops-host-b } }
  - job_name: pushgateway
    honor_labels: true
    static_configs: [ { targets: [ '127.0.0.1:$($sb.Ports.Pushgateway)' ] } ]
"@ | Set-Content -Path (Join-Path $dir 'prometheus.yml')
        Start-Detached -WorkingDirectory $dir -LogFile (Join-Path $dir 'prometheus.log') -PidFile (Join-Path $dir 'prometheus.pid') `
            -Command "prometheus --config.file='$dir/prometheus.yml' --storage.tsdb.path='$dir/data' --storage.tsdb.retention.time=1d --web.listen-address=127.0.0.1:$($sb.Ports.Prometheus)"
        Wait-TcpPort $sb.Ports.Prometheus 'Prometheus' -TimeoutSeconds 60 -LogFile (Join-Path $dir 'prometheus.log')
    }
}

function Start-SandboxFleet($sb) {
    <#
        Two "hosts" for SSH remoting and the fleet's Prometheus: real OpenSSH servers (Debian openssh-server) on
        127.0.0.1:SshA and :SshB, each its own sshd with its own host key, config, authorized_keys and pid, and its own
        host name (a UTS namespace: `unshare --uts`, so Environment.MachineName, and ComputerName on results, is
        ops-host-a / ops-host-b). Key authentication only. `Subsystem powershell` runs a wrapper that gives the session
        the host its own home (<host>/home: its CurrentUser module folder, where Install-OpsSandboxFleetModule installs
        OpsRunbook from the package with Install-PSResource) and its secrets file, then starts this
        pwsh with -sshs. The system's sshd (if any) is never touched; only /run/sshd, sshd's compiled-in
        privilege-separation directory, is created when missing. Beside each host: a node_exporter (Debian
        prometheus-node-exporter) serving only the textfile collector of <host>/textfile on NodeExporterA/B, and one
        Pushgateway (Debian prometheus-pushgateway) for both. Prometheus scrapes all three (Start-SandboxMetrics).
    #>
    $fleet = Join-Path $sb.Directory 'fleet'
    $client = Join-Path $fleet 'client'
    $null = New-Item -ItemType Directory -Force -Path $client
    $key = Join-Path $client 'id_ed25519'
    if (-not (Test-Path $key)) { Invoke-Native ssh-keygen -What 'ssh-keygen (client key)' -ArgumentList @('-q', '-t', 'ed25519', '-N', '', '-C', 'opsrunbook-sandbox', '-f', $key) }
    if (-not (Test-Path /run/sshd)) { $null = New-Item -ItemType Directory -Path /run/sshd; & chmod 755 /run/sshd }
    $dotnet = (Get-Process -Id $PID).Path
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $envFile = Join-Path $fleet 'secrets.env'
    # The hosts check the sandbox's platform with its config and secrets, as a server reads /etc/opsrunbook/secrets.env.
    ((Get-OpsSandboxEnvironment).GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)='$($_.Value -replace "'", "'\''")'" }) -join "`n" | Set-Content -Path $envFile
    & chmod 600 $envFile
    $knownHosts = [System.Collections.Generic.List[string]]::new()
    foreach ($h in Get-SandboxFleetHosts $sb) {
        $null = New-Item -ItemType Directory -Force -Path $h.Directory, $h.Home, $h.TextfileDirectory
        $hostKey = Join-Path $h.Directory 'ssh_host_ed25519_key'
        if (-not (Test-Path $hostKey)) { Invoke-Native ssh-keygen -What "ssh-keygen ($($h.Name) host key)" -ArgumentList @('-q', '-t', 'ed25519', '-N', '', '-C', $h.Name, '-f', $hostKey) }
        Copy-Item "$key.pub" (Join-Path $h.Directory 'authorized_keys')
        $wrapper = Join-Path $h.Directory 'pwsh-sshs.sh'
        @"
#!/bin/sh
# The powershell subsystem of sandbox host $($h.Name): its own home (so its own CurrentUser module folder and
# PSResourceGet repositories) and its secrets, then pwsh as an SSH server.
set -a; . '$envFile'; set +a
export HOME='$($h.Home)'
unset PSModulePath XDG_DATA_HOME XDG_CONFIG_HOME
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
exec '$dotnet' '$pwshDll' -sshs -NoLogo -NoProfile
"@ | Set-Content -Path $wrapper
        & chmod 755 $wrapper
        @"
# sshd of sandbox host $($h.Name) (tests/sandbox/Sandbox.psm1). Loopback only, keys only.
Port $($h.Port)
ListenAddress 127.0.0.1
HostKey $hostKey
PidFile $(Join-Path $h.Directory 'sshd.pid')
AuthorizedKeysFile $(Join-Path $h.Directory 'authorized_keys')
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
MaxStartups 50:30:100
LogLevel VERBOSE
Subsystem powershell $wrapper
"@ | Set-Content -Path $h.SshdConfig
        Invoke-Native /usr/sbin/sshd -What "sshd -t ($($h.Name))" -ArgumentList @('-t', '-f', $h.SshdConfig)
        $knownHosts.Add("[127.0.0.1]:$($h.Port) $((Get-Content "$hostKey.pub" -Raw).Trim())")
        $pidFile = Join-Path $h.Directory 'sshd.run.pid'
        if (-not (Test-PidFile $pidFile)) {
            Assert-PortFree $h.Port "sshd ($($h.Name))"
            Start-Detached -WorkingDirectory $h.Directory -LogFile (Join-Path $h.Directory 'sshd.log') -PidFile $pidFile `
                -Command "unshare --uts sh -c 'hostname $($h.Name) && exec /usr/sbin/sshd -D -e -f $($h.SshdConfig)'"
            Wait-TcpPort $h.Port "sshd ($($h.Name))" -LogFile (Join-Path $h.Directory 'sshd.log')
        }
        $nePid = Join-Path $h.Directory 'node-exporter.pid'
        if (-not (Test-PidFile $nePid)) {
            Assert-PortFree $h.NodeExporterPort "node_exporter ($($h.Name))"
            Start-Detached -WorkingDirectory $h.Directory -LogFile (Join-Path $h.Directory 'node-exporter.log') -PidFile $nePid `
                -Command "prometheus-node-exporter --web.listen-address=127.0.0.1:$($h.NodeExporterPort) --collector.disable-defaults --collector.textfile --collector.textfile.directory='$($h.TextfileDirectory)'"
            Wait-TcpPort $h.NodeExporterPort "node_exporter ($($h.Name))" -LogFile (Join-Path $h.Directory 'node-exporter.log')
        }
    }
    $knownHosts -join "`n" | Set-Content -Path (Join-Path $client 'known_hosts')
    $pgw = Join-Path $fleet 'pushgateway'
    $null = New-Item -ItemType Directory -Force -Path $pgw
    if (-not (Test-PidFile (Join-Path $pgw 'pushgateway.pid'))) {
        Assert-PortFree $sb.Ports.Pushgateway 'Pushgateway'
        Start-Detached -WorkingDirectory $pgw -LogFile (Join-Path $pgw 'pushgateway.log') -PidFile (Join-Path $pgw 'pushgateway.pid') `
            -Command "prometheus-pushgateway --web.listen-address=127.0.0.1:$($sb.Ports.Pushgateway)"
        Wait-TcpPort $sb.Ports.Pushgateway 'Pushgateway' -LogFile (Join-Path $pgw 'pushgateway.log')
    }
}

function Get-SandboxFleetHosts($sb) {
    $fleet = Join-Path $sb.Directory 'fleet'
    foreach ($h in @(@{ Name = 'ops-host-a'; Port = $sb.Ports.SshA; NodeExporterPort = $sb.Ports.NodeExporterA }, @{ Name = 'ops-host-b'; Port = $sb.Ports.SshB; NodeExporterPort = $sb.Ports.NodeExporterB })) {
        $dir = Join-Path $fleet $h.Name
        [pscustomobject]@{
            Name              = $h.Name
            HostName          = "root@127.0.0.1:$($h.Port)"
            Port              = $h.Port
            Directory         = $dir
            SshdConfig        = Join-Path $dir 'sshd_config'
            Home              = Join-Path $dir 'home'
            # pwsh's CurrentUser module folder under that home: where Install-PSResource -Scope CurrentUser puts modules.
            ModulePath        = Join-Path $dir 'home/.local/share/powershell/Modules'
            TextfileDirectory = Join-Path $dir 'textfile'
            NodeExporterPort  = $h.NodeExporterPort
        }
    }
}

function Get-OpsSandboxFleet {
    <#
        The sandbox's two SSH "hosts" and how to reach them:
        Invoke-Command -HostName $f.HostName -KeyFilePath $f.KeyFilePath -Options $f.SshOptions -ScriptBlock { ... }
        Hosts: Name, HostName (user@127.0.0.1:port), Home, ModulePath (its CurrentUser module folder), TextfileDirectory
        (its node_exporter's textfile collector). PushgatewayUrl and PrometheusUrl too.
    #>
    [CmdletBinding()]
    param()
    $sb = Get-OpsSandbox
    $client = Join-Path $sb.Directory 'fleet/client'
    $hosts = @(Get-SandboxFleetHosts $sb)
    [pscustomobject]@{
        Hosts          = $hosts
        HostName       = [string[]]@($hosts.HostName)
        KeyFilePath    = Join-Path $client 'id_ed25519'
        # BatchMode: never a password prompt (a hang); ConnectTimeout bounds an unreachable host.
        SshOptions     = @{ UserKnownHostsFile = (Join-Path $client 'known_hosts'); StrictHostKeyChecking = 'yes'; BatchMode = 'yes'; ConnectTimeout = '10' }
        PushgatewayUrl = "http://127.0.0.1:$($sb.Ports.Pushgateway)"
        PrometheusUrl  = "http://127.0.0.1:$($sb.Ports.Prometheus)"
    }
}

function Install-OpsSandboxFleetModule {
    <#
        Installs OpsRunbook on both sandbox hosts the way a server gets it: over SSH, each host registers the build's
        package folder (out/, where build.ps1 Package writes OpsRunbook.<version>.nupkg) as a PSResourceGet repository
        and runs Install-PSResource -Scope CurrentUser (its own home). Returns the fleet (Get-OpsSandboxFleet).
    #>
    [CmdletBinding()]
    param([string] $PackageDirectory = (Join-Path $script:RepoRoot 'out'))
    $fleet = Get-OpsSandboxFleet
    if (-not (Get-ChildItem $PackageDirectory -Filter 'OpsRunbook.*.nupkg' -ErrorAction Ignore)) {
        throw "No OpsRunbook package in $PackageDirectory. Run: dotnet pwsh ./build.ps1 Package"
    }
    $installed = Invoke-Command -HostName $fleet.HostName -KeyFilePath $fleet.KeyFilePath -Options $fleet.SshOptions -ArgumentList $PackageDirectory -ScriptBlock {
        param($repo)
        $ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'
        if (Get-PSResourceRepository -Name OpsRunbookBuild -ErrorAction Ignore) { Set-PSResourceRepository -Name OpsRunbookBuild -Uri $repo -Trusted }
        else { Register-PSResourceRepository -Name OpsRunbookBuild -Uri $repo -Trusted }
        Install-PSResource -Name OpsRunbook -Repository OpsRunbookBuild -Scope CurrentUser -Reinstall -TrustRepository -Quiet
        (Get-Module -ListAvailable OpsRunbook | Select-Object -First 1).ModuleBase
    }
    foreach ($h in $fleet.Hosts) {
        if (-not ($installed | Where-Object { $_ -like "$($h.ModulePath)/OpsRunbook/*" })) { throw "OpsRunbook did not install on $($h.Name): $installed" }
    }
    $fleet
}

function Stop-SandboxFleet($sb) {
    foreach ($h in Get-SandboxFleetHosts $sb) {
        Stop-PidFile (Join-Path $h.Directory 'sshd.run.pid') "sshd ($($h.Name))"
        Stop-PidFile (Join-Path $h.Directory 'node-exporter.pid') "node_exporter ($($h.Name))"
    }
    Stop-PidFile (Join-Path $sb.Directory 'fleet/pushgateway/pushgateway.pid') 'Pushgateway'
}

function Stop-SandboxMetrics($sb) {
    $dir = Join-Path $sb.Directory 'prometheus'
    Stop-PidFile (Join-Path $dir 'prometheus.pid') 'Prometheus'
    Stop-PidFile (Join-Path $dir 'metrics.pid') 'metrics stand-in'
}

function Write-SandboxLogs($sb) {
    # API logs as the platform writes them: one file a day, older days gzip-rotated. ERROR lines on each day.
    $rng = [System.Random]::new(7)
    $now = [DateTimeOffset]::UtcNow
    foreach ($daysAgo in 0, 1, 2) {
        $day = $now.UtcDateTime.Date.AddDays(-$daysAgo)
        $end = if ($daysAgo -eq 0) { $now.UtcDateTime } else { $day.AddDays(1) }
        $lines = [System.Collections.Generic.List[string]]::new()
        $t = $day
        $i = 0
        while ($t -lt $end) {
            $i++
            $stamp = $t.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)
            $lines.Add($(if ($i % 40 -eq 0) { "$stamp ERROR Failed to process job media-processing:${i}: timeout after 30000ms" }
                    elseif ($i % 97 -eq 0) { "$stamp ERROR Stripe webhook evt_$i failed: signature verification error (status 400)" }
                    elseif ($i % 7 -eq 0) { "$stamp WARN Slow search query took $($rng.Next(500, 3000))ms" }
                    else { "$stamp INFO GET /api/search 200 $($rng.Next(5, 400))ms" }))
            $t = $t.AddSeconds($rng.Next(60, 600))
        }
        $name = Join-Path $sb.LogDir ('api-{0:yyyy-MM-dd}.log' -f $day)
        if ($daysAgo -ge 2) {
            $bytes = [System.Text.Encoding]::UTF8.GetBytes(($lines -join "`n") + "`n")
            $fs = [System.IO.File]::Create("$name.gz")
            $gz = [System.IO.Compression.GZipStream]::new($fs, [System.IO.Compression.CompressionLevel]::Optimal)
            $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose(); $fs.Dispose()
        }
        else { Set-Content -Path $name -Value $lines }
    }
}

function Write-SandboxAuthLog($sb) {
    # The API's auth log of today (logs.auth): one address brute-forcing within minutes, a few single failures, successes.
    $now = [DateTimeOffset]::UtcNow.AddMinutes(-30)
    $lines = foreach ($i in 0..14) { '{0} WARN authentication failed for user admin{1} from 203.0.113.66' -f $now.AddSeconds(10 * $i).ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture), ($i % 3) }
    $lines += '{0} WARN authentication failed for user alice@example.com from 198.51.100.20' -f $now.AddMinutes(5).ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)
    $lines += '{0} INFO authentication succeeded for user alice@example.com from 198.51.100.20' -f $now.AddMinutes(6).ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)
    Set-Content -Path (Join-Path $sb.LogDir ('auth-{0:yyyy-MM-dd}.log' -f $now.UtcDateTime)) -Value $lines
}

function Write-SandboxCleanupDirs($sb) {
    # Directories for the cleanup policies (Clear-DiskEmergency examples preview them with -WhatIf).
    $now = [DateTime]::UtcNow
    foreach ($f in @(@{ Dir = 'backups'; Name = 'app-old.dump'; Days = 45 }, @{ Dir = 'backups'; Name = 'app-new.dump'; Days = 2 },
                     @{ Dir = 'tmp-app'; Name = 'upload-1.tmp'; Days = 3 }, @{ Dir = 'tmp-app'; Name = 'upload-2.tmp'; Days = 0 })) {
        $dir = Join-Path $sb.Directory $f.Dir
        $null = New-Item -ItemType Directory -Force -Path $dir
        $path = Join-Path $dir $f.Name
        if (-not (Test-Path $path)) { Set-Content -Path $path -Value ('x' * 4096) -NoNewline }
        (Get-Item $path).LastWriteTimeUtc = $now.AddDays(-$f.Days)
    }
}

function Write-SandboxConfig($sb) {
    $p = $sb.Ports
    @"
# Generated by tests/sandbox/Sandbox.psm1: every service of the sandbox on loopback.
# Secrets come from the environment (Import-OpsSandboxEnvironment sets them).
defaultEnvironment: production
environments:
  production: &production
    postgres: { host: 127.0.0.1, port: $($p.Postgres), database: app, username: ops, password: '`${env:DB_PASSWORD}' }
    redis: { configuration: '127.0.0.1:$($p.Redis)', password: '`${env:REDIS_PASSWORD}' }
    api: { baseUrl: 'http://127.0.0.1:$($p.Nginx)', metricsUrl: 'http://127.0.0.1:$($p.Metrics)/metrics' }
    prometheus: { url: 'http://127.0.0.1:$($p.Prometheus)' }
    queues: { source: bullmq, prefix: bull, names: [$($script:QueueNames -join ', ')] }
    services:
      - { name: nginx, kind: process, restartCommand: 'nginx -p $(Join-Path $sb.Directory 'nginx') -c $(Join-Path $sb.Directory 'nginx/nginx.conf') -e $(Join-Path $sb.Directory 'nginx/error.log') -s reload', logFile: '$(Join-Path $sb.Directory 'nginx/error.log')' }
      - { name: api, kind: http, url: 'http://127.0.0.1:$($p.Nginx)/api/health' }
      - { name: postgres, kind: tcp, address: '127.0.0.1:$($p.Postgres)' }
      - { name: redis, kind: tcp, address: '127.0.0.1:$($p.Redis)' }
    disk: { paths: [ / ] }
    state: { path: '$(Join-Path $sb.Directory 'state/state.db')' }
    maintenance: { flagPath: '$(Join-Path $sb.Directory 'maintenance.flag')' }
    certificates: { targets: [ '127.0.0.1:$($p.TlsValid)' ], caFile: '$(Join-Path $sb.Directory 'tls/ca.pem')', warnDays: 30, criticalDays: 7, timeoutSeconds: 5 }
    smokeTests:
      - { name: health, method: GET, path: /api/health, expectStatus: 200 }
      - { name: auth, method: POST, path: /api/auth/test, expectStatus: 200 }
    notifications:
      timeoutSeconds: 5
      channels:
        - { name: oncall, kind: webhook, url: '`${env:OPS_WEBHOOK_URL}' }
        - { name: team-mail, kind: email, smtpHost: 127.0.0.1, smtpPort: $($p.Smtp), tls: none, from: 'ops@example.com', to: [ 'oncall@example.com' ] }
      defaultChannels: [ oncall ]
    statusPage: { pageId: sandboxpage, apiKey: '`${env:STATUSPAGE_API_KEY}', baseUrl: 'http://127.0.0.1:$($p.StatusPage)', timeoutSeconds: 5 }
    logs: { directory: '$($sb.LogDir)', api: 'api-{date:yyyy-MM-dd}.log', access: access.log, auth: 'auth-{date:yyyy-MM-dd}.log' }
    stripe: { apiKey: '`${env:STRIPE_SECRET_KEY}', apiBase: 'http://127.0.0.1:$($p.StripeApi)', webhookSecret: '`${env:STRIPE_WEBHOOK_SECRET}', webhookUrl: 'http://127.0.0.1:$($p.WebhookReceiver)/api/webhooks/stripe', webhookEndpointId: we_sandbox, statusUrl: 'http://127.0.0.1:$($p.StripeStatus)/api/v2/status.json', timeoutSeconds: 10 }
    aws: { costExplorerServiceUrl: "http://127.0.0.1:$($p.CostExplorer)", region: us-east-1, timeoutSeconds: 10 }   # double quotes: tests rewrite s3's serviceUrl: '...'
    s3: { bucket: backups, region: us-east-1, serviceUrl: 'http://127.0.0.1:$($p.S3)', accessKey: '`${env:AWS_ACCESS_KEY_ID}', secretKey: '`${env:AWS_SECRET_ACCESS_KEY}', postgresPrefix: postgres/, mediaPrefix: media/, checkAccessLogging: false }   # s3rver has no GetBucketLogging (it answers a bucket listing, read as "off"): Test-OpsBucketLogging's tests put s3-logging-stub.mjs in front of it
    thresholds: { diskWarnPercent: 80, diskCriticalPercent: 90, dbConnectionsWarnPercent: 80, dbConnectionsCriticalPercent: 95, queueDepthWarn: 1000, errorCountWarn: 100 }
    cleanup:
      - { name: old-logs, path: '$($sb.LogDir)', pattern: '*.log', olderThanDays: 7, action: delete }
      - { name: old-backups, path: '$(Join-Path $sb.Directory 'backups')', pattern: '*.dump', olderThanDays: 30, action: delete }
      - { name: temp, path: '$(Join-Path $sb.Directory 'tmp-app')', pattern: '*', olderThanDays: 1, action: delete }
  staging:
    <<: *production
    postgres: { host: 127.0.0.1, port: $($p.Postgres), database: app_staging, username: ops, password: '`${env:DB_PASSWORD}' }
"@ | Set-Content -Path $sb.ConfigPath
}

function Start-OpsSandbox {
    <#
    .SYNOPSIS
        Starts (or confirms) every sandbox service, loads schema and data, writes ops.yaml. Idempotent.
    #>
    [CmdletBinding()]
    param([int] $Scale = 1)
    $sb = Get-OpsSandbox
    $null = New-Item -ItemType Directory -Force -Path $sb.Directory, $sb.LogDir
    $secrets = Get-SandboxSecrets $sb.Directory
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Start-SandboxPostgres $sb $secrets
    Initialize-OpsSandboxData -Scale $Scale -Database app
    Initialize-OpsSandboxData -Scale 1 -Database app_staging
    Start-SandboxRedis $sb $secrets
    Start-SandboxNode $sb $secrets
    Write-SandboxCertificates $sb
    Start-SandboxNginx $sb
    Start-SandboxFleet $sb
    Start-SandboxMetrics $sb
    Write-SandboxLogs $sb
    Write-SandboxAuthLog $sb
    Write-SandboxCleanupDirs $sb
    Write-SandboxConfig $sb
    Write-Verbose "Sandbox up in $([int]$sw.Elapsed.TotalMilliseconds) ms at $($sb.Directory)."
    $sb
}

function Stop-OpsSandbox {
    <# Stops every sandbox service. Data stays; ./build.ps1 Clean removes it. #>
    [CmdletBinding()]
    param()
    $sb = Get-OpsSandbox
    if (-not (Test-Path $sb.Directory)) { return }
    Stop-PidFile (Join-Path $sb.Directory 'nginx/nginx.pid') 'nginx'
    Stop-PidFile (Join-Path $sb.Directory 'api/api.pid') 'api stand-in'
    Stop-PidFile (Join-Path $sb.Directory 'payments/payments.pid') 'payments stand-in'
    Stop-PidFile (Join-Path $sb.Directory 'statuspage/statuspage.pid') 'Statuspage stand-in'
    Stop-PidFile (Join-Path $sb.Directory 's3/s3rver.pid') 's3rver'
    Stop-PidFile (Join-Path $sb.Directory 'redis/redis.pid') 'redis'
    Stop-SandboxMetrics $sb
    Stop-SandboxFleet $sb
    $data = Join-Path $sb.PgDir 'data'
    if (Test-Path (Join-Path $data 'PG_VERSION')) {
        Push-Location /tmp
        try {
            & runuser -u postgres -- "$script:PgBin/pg_ctl" -D $data status *> $null
            if ($LASTEXITCODE -eq 0) { Invoke-Native runuser -What 'pg_ctl stop' -ArgumentList @('-u', 'postgres', '--', "$script:PgBin/pg_ctl", '-D', $data, '-m', 'fast', '-w', 'stop') }
        }
        finally { Pop-Location }
    }
}

function Stop-OpsSandboxService {
    <#
        Stops one sandbox service on purpose, for the demo's incident drill: Api is the platform's API process
        (behind nginx, so GET /api/health answers 502). Start-OpsSandboxService brings it back.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [ValidateSet('Api')] [string] $Name)
    $sb = Get-OpsSandbox
    Stop-PidFile (Join-Path $sb.Directory 'api/api.pid') 'api stand-in'
}

function Start-OpsSandboxService {
    <# Starts a sandbox service stopped by Stop-OpsSandboxService again, and waits until it answers. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [ValidateSet('Api')] [string] $Name)
    $sb = Get-OpsSandbox
    Start-SandboxNode $sb (Get-SandboxSecrets $sb.Directory)
}

function Test-OpsSandbox {
    <# $true when every sandbox service answers on its port. #>
    [CmdletBinding()]
    [OutputType([bool])]
    param()
    $p = (Get-OpsSandbox).Ports
    -not (@($p.Postgres, $p.Redis, $p.Nginx, $p.S3, $p.Api, $p.Metrics, $p.Prometheus, $p.Pushgateway, $p.NodeExporterA, $p.NodeExporterB, $p.SshA, $p.SshB, $p.StripeApi, $p.WebhookReceiver, $p.CostExplorer, $p.StripeStatus, $p.StatusPage, $p.TlsValid, $p.TlsExpired, $p.TlsWrongHost, $p.TlsSelfSigned) | Where-Object { -not (Test-TcpPort $_) })
}

Export-ModuleMember -Function Get-OpsSandbox, Get-OpsSandboxFleet, Install-OpsSandboxFleetModule, Start-OpsSandbox, Invoke-OpsSandboxStub, Stop-OpsSandbox, Test-OpsSandbox, Get-OpsSandboxEnvironment, Stop-OpsSandboxService, Start-OpsSandboxService,
    Import-OpsSandboxEnvironment, Invoke-OpsSandboxSql, Initialize-OpsSandboxData

<#
    Helpers for the backup tests: an isolated S3 prefix per test file (a copy of the sandbox config whose
    postgresPrefix/mediaPrefix are unique), raw S3 access through the module's own client factory, and
    fake backups (objects in the key layout, with or without manifests) for listing/retention/freshness tests.
#>

function New-BackupTestConfig {
    <# A copy of the sandbox config with unique prefixes; returns @{ Path; Prefix; MediaPrefix }. Extra YAML lines go under every environment. #>
    param([string] $Directory = $TestDrive, [string] $Backup = '', [string] $Name = 'ops.yaml')
    $id = [guid]::NewGuid().ToString('n').Substring(0, 10)
    $prefix = "test-$id/pg/"; $media = "test-$id/media/"
    $text = Get-Content (Get-OpsSandbox).ConfigPath -Raw
    $text = $text -replace 'postgresPrefix: postgres/', "postgresPrefix: $prefix" -replace 'mediaPrefix: media/', "mediaPrefix: $media"
    if ($Backup) {
        $text = $text -replace '(?m)^(    thresholds: .*)$', "`$1`n    backup: $Backup"
    }
    $path = Join-Path $Directory $Name
    Set-Content -Path $path -Value $text
    @{ Path = $path; Prefix = $prefix; MediaPrefix = $media }
}

function Get-BackupTestS3 {
    param([Parameter(Mandatory)] [string] $ConfigPath)
    $s3 = (Get-OpsConfig -ConfigPath $ConfigPath).S3
    @{ Client = [OpsRunbook.Core.Storage.S3ClientFactory]::Create($s3); Bucket = $s3.Bucket }
}

function Invoke-Await($Task) { $Task.GetAwaiter().GetResult() }

function New-S3Model {
    <# An Amazon.S3.Model request. AWSSDK lives in OpsRunbook's own load context, out of reach of [type] literals: the type comes from the module's client. #>
    param([Parameter(Mandatory)] [string] $Name, [hashtable] $Properties = @{})
    $t = [OpsRunbook.Core.Storage.S3ClientFactory].GetMethod('Create').ReturnType.Assembly.GetType("Amazon.S3.Model.$Name", $true)
    $o = $t::new()
    foreach ($k in $Properties.Keys) { $o.$k = $Properties[$k] }
    $o
}

function Write-TestObject {
    <# Puts bytes (or a string) at a key, without chunk encoding (s3rver). #>
    param([Parameter(Mandatory)] $S3, [Parameter(Mandatory)] [string] $Key, $Content)
    $bytes = if ($Content -is [string]) { [Text.Encoding]::UTF8.GetBytes($Content) } else { [byte[]]$Content }
    $req = New-S3Model PutObjectRequest @{ BucketName = $S3.Bucket; Key = $Key; InputStream = [IO.MemoryStream]::new($bytes); UseChunkEncoding = $false }
    $null = Invoke-Await ($S3.Client.PutObjectAsync($req, [Threading.CancellationToken]::None))
}

function Read-TestObject {
    param([Parameter(Mandatory)] $S3, [Parameter(Mandatory)] [string] $Key)
    $r = Invoke-Await ($S3.Client.GetObjectAsync($S3.Bucket, $Key, [Threading.CancellationToken]::None))
    try { $ms = [IO.MemoryStream]::new(); $r.ResponseStream.CopyTo($ms); , $ms.ToArray() } finally { $r.Dispose() }
}

function Get-TestKeys {
    <# Every key under a prefix (paged). #>
    param([Parameter(Mandatory)] $S3, [Parameter(Mandatory)] [string] $Prefix)
    $keys = [Collections.Generic.List[string]]::new()
    $token = $null
    do {
        $page = Invoke-Await ($S3.Client.ListObjectsV2Async((New-S3Model ListObjectsV2Request @{ BucketName = $S3.Bucket; Prefix = $Prefix; ContinuationToken = $token }), [Threading.CancellationToken]::None))
        foreach ($o in @($page.S3Objects | Where-Object { $_ })) { $keys.Add($o.Key) }
        $token = if ($page.IsTruncated) { $page.NextContinuationToken } else { $null }
    } while ($token)
    $keys.ToArray()
}

function Remove-TestPrefix {
    param([Parameter(Mandatory)] $S3, [Parameter(Mandatory)] [string] $Prefix)
    foreach ($k in Get-TestKeys $S3 $Prefix) { $null = Invoke-Await ($S3.Client.DeleteObjectAsync($S3.Bucket, $k, [Threading.CancellationToken]::None)) }
}

function Get-Sha256Hex([byte[]] $Bytes) { [Convert]::ToHexStringLower([Security.Cryptography.SHA256]::HashData($Bytes)) }

function New-FakeBackup {
    <#
        Writes <prefix><db>/<yyyy>/<MM>/<db>-<stamp>.dump of -Size random bytes and, unless -NoManifest, a matching
        manifest. Returns the dump key.
    #>
    param([Parameter(Mandatory)] $S3, [Parameter(Mandatory)] [string] $Prefix, [string] $Database = 'app',
        [Parameter(Mandatory)] [DateTimeOffset] $Time, [int] $Size = 2048, [switch] $NoManifest)
    $key = [OpsRunbook.Core.Backup.BackupKeys]::DumpKey($Prefix, $Database, $Time)
    $bytes = [byte[]]::new($Size); [Random]::new($Size + $Time.Second).NextBytes($bytes)
    Write-TestObject $S3 $key $bytes
    if (-not $NoManifest) {
        $m = [OpsRunbook.Core.Backup.BackupManifest]@{ Database = $Database; StartTime = $Time; EndTime = $Time.AddSeconds(5); SizeBytes = $Size; Sha256 = (Get-Sha256Hex $bytes) }
        $m.Tables.Add([OpsRunbook.Core.Backup.BackupTableCount]::new('public', 'users', 10))
        Write-TestObject $S3 ([OpsRunbook.Core.Backup.BackupKeys]::ManifestKey($key)) $m.ToJson()
    }
    $key
}

function Get-ScratchDatabases {
    @(Invoke-OpsSandboxSql -Database postgres "SELECT datname FROM pg_database WHERE datname LIKE 'opsrunbook\_restore\_%' ORDER BY 1" | Where-Object { $_ })
}

Export-ModuleMember -Function *

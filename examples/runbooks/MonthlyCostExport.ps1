<#
.SYNOPSIS
    The runbook's Cost Review (1st of Month) as data: AWS cost, the platform's cost_tracking breakdown, cost per active user.
.DESCRIPTION
    For one month (default: last month) it gathers
      - AWS: Get-OpsAwsCost (Cost Explorer GetCostAndUsage, MONTHLY, UnblendedCost, by SERVICE),
      - the platform: Get-OpsCostReport -By Service and -By Tier (the runbook's two cost_tracking queries) and the ten
        costliest users,
      - the cost per active user against the Success Metrics target (under $0.10),
    and writes cost-review-<yyyy-MM>.md (Markdown; MonthlyCostReview.ps1 renders the HTML page) plus one CSV per table
    (cost-review-<yyyy-MM>-aws.csv, -services.csv, -tiers.csv, -users.csv) into -OutputDirectory. Money stays decimal.

        0 6 1 * * root pwsh -NoProfile -NonInteractive -File .../runbooks/MonthlyCostExport.ps1 -OutputDirectory /var/log/opsrunbook/reports
    Exit codes (Nagios convention): 0 written and on target, 1 written but the cost per active user is over the
    target, 2 a source could not be read (the report says which; what could be read is still written), 3 the
    config is broken.
#>
[CmdletBinding()]
param(
    [ValidatePattern('^\d{4}-\d{2}$')] [string] $Month = [DateTime]::UtcNow.AddMonths(-1).ToString('yyyy-MM'),
    [string] $Environment,
    [string] $ConfigPath,
    [string] $OutputDirectory = './reports',
    [decimal] $TargetPerActiveUser = 0.10,
    [switch] $SkipAws
)
. (Join-Path $PSScriptRoot '_Common.ps1')   # preferences, $common, $stamp and the exits every runbook shares
Import-RunbookModule 'COST REVIEW'
$inv = [cultureinfo]::InvariantCulture
function Format-Money([decimal] $v, [string] $f = '0.00') { '$' + $v.ToString($f, $inv) }
function ConvertTo-MarkdownTable([object[]] $Rows, [string[]] $Columns, [string[]] $Money = @()) {
    if (-not $Rows) { return '_No rows._' }
    $lines = @('| ' + ($Columns -join ' | ') + ' |', '|' + (($Columns | ForEach-Object { $(if ($_ -in $Money -or $_ -match 'Cost|Amount|Calls|Users') { '---:' } else { '---' }) }) -join '|') + '|')
    foreach ($r in $Rows) {
        $cells = foreach ($c in $Columns) { $v = $r.$c; if ($c -in $Money) { Format-Money $v '0.00####' } else { "$v".Replace('|', '\|') } }
        $lines += '| ' + ($cells -join ' | ') + ' |'
    }
    $lines -join "`n"
}

$problems = [System.Collections.Generic.List[string]]::new()
try {
    $null = New-Item -ItemType Directory -Force -Path $OutputDirectory
    $base = Join-Path $OutputDirectory "cost-review-$Month"
    $services = @(Get-OpsCostReport @common -Month $Month -By Service)
    $tiers = @(Get-OpsCostReport @common -Month $Month -By Tier)
    $users = @(Get-OpsCostReport @common -Month $Month -By User | Select-Object -First 10)
    $aws = @()
    if (-not $SkipAws) {
        try { $aws = @(Get-OpsAwsCost @common -Month $Month) }
        catch { $problems.Add("AWS Cost Explorer [$($_.FullyQualifiedErrorId -replace ',.*$')]: $($_.Exception.Message -replace '\s*\r?\n\s*', ' ')") }
    }
    $platform = [decimal]0; foreach ($s in $services) { $platform += $s.TotalCost }
    $awsTotal = [decimal]0; foreach ($a in $aws) { $awsTotal += $a.Amount }
    $active = if ($services) { $services[0].ActiveUsers } else { 0 }
    $perUser = [decimal]0; foreach ($s in $services) { $perUser += $s.CostPerActiveUser }
    $onTarget = $perUser -lt $TargetPerActiveUser

    $services | Export-Csv -LiteralPath "$base-services.csv" -NoTypeInformation
    $tiers | Export-Csv -LiteralPath "$base-tiers.csv" -NoTypeInformation
    $users | Export-Csv -LiteralPath "$base-users.csv" -NoTypeInformation
    if (-not $SkipAws) { $aws | Export-Csv -LiteralPath "$base-aws.csv" -NoTypeInformation }

    $md = @(
        "# Cost review $Month"
        ''
        "Generated $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm', $inv))Z by MonthlyCostExport.ps1."
        ''
        '## Summary'
        ''
        '| Figure | Value |'
        '|---|---:|'
        "| AWS (UnblendedCost) | $(if ($SkipAws) { 'skipped' } elseif ($problems.Count) { 'unavailable' } else { Format-Money $awsTotal }) |"
        "| Platform cost_tracking | $(Format-Money $platform) |"
        "| Active users (user_activity) | $active |"
        "| Cost per active user | $(Format-Money $perUser '0.0000') |"
        "| Target (Success Metrics) | under $(Format-Money $TargetPerActiveUser) - $(if ($onTarget) { 'on target' } else { '**over target**' }) |"
        ''
        '## AWS by service'
        ''
        $(if ($SkipAws) { '_Skipped (-SkipAws)._' } elseif ($problems.Count) { "_Unavailable: $($problems -join '; ')_" } else { ConvertTo-MarkdownTable $aws @('Key', 'Amount', 'Unit', 'Estimated') -Money @('Amount') })
        ''
        '## Platform cost by service'
        ''
        (ConvertTo-MarkdownTable $services @('Service', 'ApiCalls', 'TotalCost', 'AvgCost', 'CostPerActiveUser') -Money @('TotalCost', 'AvgCost', 'CostPerActiveUser'))
        ''
        '## Platform cost by subscription tier'
        ''
        (ConvertTo-MarkdownTable $tiers @('Tier', 'Users', 'TotalCost', 'AvgCostPerUser', 'CostPerActiveUser') -Money @('TotalCost', 'AvgCostPerUser', 'CostPerActiveUser'))
        ''
        '## Ten costliest users'
        ''
        (ConvertTo-MarkdownTable $users @('UserId', 'Email', 'Tier', 'ApiCalls', 'TotalCost') -Money @('TotalCost'))
        ''
    ) -join "`n"
    Set-Content -LiteralPath "$base.md" -Value $md
    Write-Output ("Cost review {0}: AWS {1}, platform {2}, {3} active users, {4} per active user ({5}) -> {6}.md" -f $Month,
        $(if ($SkipAws -or $problems.Count) { 'n/a' } else { Format-Money $awsTotal }), (Format-Money $platform), $active, (Format-Money $perUser '0.0000'),
        $(if ($onTarget) { 'on target' } else { 'OVER TARGET' }), $base)
    foreach ($p in $problems) { Write-Output "NOT READ: $p" }
    if ($problems.Count) { exit 2 }
    if (-not $onTarget) { exit 1 }
    exit 0
}
catch { Exit-RunbookFailure 'COST REVIEW FAILED' $_ -NoTimestamp }

<#
.SYNOPSIS
    Appends the ERROR IDS section to the built about_OpsRunbook help, from the error catalogue itself
    (OpsRunbook.Core.Errors.ErrorIds): every id, its PowerShell error category, whether it is a config error, and what
    it means. Generated, so the documentation lists every id the code can raise and never one it cannot.
    Run in a fresh pwsh by build.ps1 after the module is laid out; tests/pester/ErrorCatalogue.Tests.ps1 checks the result.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $AboutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$null = Import-Module $ModuleManifest -PassThru -Force
$ids = [OpsRunbook.Core.Errors.ErrorIds]::All.Values | Sort-Object Name
$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('')
$lines.Add('ERROR IDS')
$lines.Add('    Every id the module raises, from its error catalogue. FullyQualifiedErrorId starts with the id;')
$lines.Add('    the category is $Error[0].CategoryInfo.Category. (config) marks errors in the config file or environment.')
$lines.Add('')
foreach ($id in $ids) {
    $lines.Add("    $($id.Name) [$($id.Category)]$(if ($id.IsConfig) { ' (config)' })")
    # Wrap the meaning at about 100 columns, indented under the id.
    $line = '        '
    foreach ($word in $id.Meaning -split '\s+') {
        if ($line.Length + $word.Length + 1 -gt 108 -and $line.Trim()) { $lines.Add($line.TrimEnd()); $line = '        ' }
        $line += "$word "
    }
    $lines.Add($line.TrimEnd())
}
$text = Get-Content $AboutFile -Raw
$marker = 'SEE ALSO'
$i = $text.IndexOf($marker)
$section = ($lines -join "`n") + "`n`n"
$text = if ($i -ge 0) { $text.Substring(0, $i) + $section.TrimStart("`n") + $text.Substring($i) } else { $text + $section }
Set-Content -Path $AboutFile -Value $text -NoNewline
Write-Host "    about_OpsRunbook: $(@($ids).Count) error ids"

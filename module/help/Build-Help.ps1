<#
.SYNOPSIS
    Generates MAML help (OpsRunbook.dll-Help.xml) from module/help/<Verb-Noun>.psd1 sources.
.DESCRIPTION
    platyPS is not available here, so this writes MAML itself. Text (synopsis, description,
    parameter help, examples, notes) comes from the .psd1 source for each cmdlet. Everything the
    code already knows (parameter sets, types, positions, pipeline input, aliases, output types)
    comes from Get-Command on the built module, so help can never disagree with the cmdlet.
    Run in a fresh pwsh by build.ps1 after the module is laid out. Missing text is reported as a
    warning here; tests/pester/Help.Tests.ps1 fails on it.

    Parameters declared once in a shared base class (-Environment, -ConfigPath, -Server, -Database, -Credential) and
    -WhatIf/-Confirm take their text from CommonParameters.psd1 beside the cmdlet files, unless the cmdlet's own
    file describes them. Parameter types are written as Get-Command -Syntax writes them (timespan, string[]), and
    the values of a [ValidateSet] or enum parameter (with descriptions, when the set describes them) come from the code.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SourceDirectory,
    [Parameter(Mandatory)] [string] $OutputFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModuleManifest -PassThru -Force
# -WhatIf and -Confirm are listed (they are in SYNTAX as Get-Command shows it); the rest stay <CommonParameters>.
$common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @('UseTransaction')
$shared = Import-PowerShellDataFile (Join-Path $SourceDirectory 'CommonParameters.psd1')

$nsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$nsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$nsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$null = New-Item -ItemType Directory -Force -Path (Split-Path $OutputFile)
$w = [System.Xml.XmlWriter]::Create($OutputFile, $settings)

function Write-Paras([string] $text) {
    # One maml:para per paragraph (blank-line separated); keeps code-ish lines intact.
    $paras = @(($text ?? '') -split "(`r?`n){2,}" | Where-Object { $_.Trim() })
    if ($paras.Count -eq 0) { $paras = @('') }
    foreach ($p in $paras) { $w.WriteElementString('maml', 'para', $nsMaml, $p.Trim()) }
}
function Write-Description([string] $prefix, [string] $text) {
    $w.WriteStartElement($prefix, 'description', $(if ($prefix -eq 'maml') { $nsMaml } else { $nsDev }))
    Write-Paras $text
    $w.WriteEndElement()
}
# Parameter types as Get-Command -Syntax writes them (timespan, string[], pscredential), read from its syntax text.
$script:SyntaxTypes = @{}
function Get-SyntaxType($cmd, [string] $name) {
    if (-not $script:SyntaxTypes.ContainsKey($cmd.Name)) {
        $map = @{}
        foreach ($set in $cmd.ParameterSets) {
            foreach ($m in [regex]::Matches($set.ToString(), '-(?<n>\w+)\]? <(?<t>[^>]+)>')) { $map[$m.Groups['n'].Value] = $m.Groups['t'].Value }
        }
        $script:SyntaxTypes[$cmd.Name] = $map
    }
    $script:SyntaxTypes[$cmd.Name][$name]
}
function Get-TypeName($cmd, [string] $name) {
    $t = $cmd.Parameters[$name].ParameterType
    if ($t -eq [System.Management.Automation.SwitchParameter]) { return 'switch' }
    $fromSyntax = Get-SyntaxType $cmd $name
    if ($fromSyntax) { return $fromSyntax }
    $t = [Nullable]::GetUnderlyingType($t) ?? $t
    $t.Name
}
function Get-InputTypeName([type] $t) { ([Nullable]::GetUnderlyingType($t) ?? $t).FullName }
function Get-ParamText($source, [string] $name) {
    $p = if ($source.ContainsKey('Parameters')) { $source.Parameters[$name] } else { $null }
    if (-not $p -and $shared.ContainsKey($name)) { $p = $shared[$name] }
    if ($p -is [hashtable]) { return $p } elseif ($p) { return @{ Description = [string]$p } } else { return @{ Description = '' } }
}
# The fixed values of a parameter, from its [ValidateSet] or enum type, with descriptions when the set gives them.
function Get-ValidValues($info) {
    $set = @($info.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
    $type = if ($info.ParameterType.IsArray) { $info.ParameterType.GetElementType() } else { [Nullable]::GetUnderlyingType($info.ParameterType) ?? $info.ParameterType }
    $values = if ($set) { @($set[0].ValidValues) } elseif ($type.IsEnum) { [enum]::GetNames($type) } else { @() }
    $described = @{}
    if ($set) {
        $generator = $set[0].GetType().GetField('validValuesGenerator', [Reflection.BindingFlags]'NonPublic,Instance')?.GetValue($set[0])
        if ($generator -is [OpsRunbook.Commands.IDescribedValues]) { foreach ($kv in $generator.Describe()) { $described[$kv.Key] = $kv.Value } }
    }
    [pscustomobject]@{ Values = $values; Described = $described }
}
function Write-Parameter($cmd, $source, [string] $name, $setParam) {
    $info = $cmd.Parameters[$name]
    $attrs = @($info.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $mandatory = if ($setParam) { $setParam.IsMandatory } else { [bool]($attrs | Where-Object Mandatory) }
    $position = if ($setParam) { $setParam.Position } else { ($attrs | Measure-Object -Property Position -Maximum).Maximum }
    $byValue = [bool]($attrs | Where-Object ValueFromPipeline)
    $byName = [bool]($attrs | Where-Object ValueFromPipelineByPropertyName)
    $pipeline = if ($byValue -or $byName) { 'True (' + ((@('ByValue') * $byValue) + (@('ByPropertyName') * $byName) -join ', ') + ')' } else { 'False' }
    $isSwitch = $info.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $text = Get-ParamText $source $name
    $valid = Get-ValidValues $info
    $description = $text.Description
    if ($info.Attributes | Where-Object { $_ -is [OpsRunbook.Commands.DurationAttribute] }) {
        $description += ' Takes a duration as in the config file: 30s, 5m, 2h, 1d, or 00:05:00.'
    }
    if ($valid.Values -and -not $setParam) {
        $description += "`n`nAccepted values: " + $(if ($valid.Described.Count) {
                "`n`n" + (($valid.Values | ForEach-Object { "- ${_}: $($valid.Described[$_])" }) -join "`n")
            } else { ($valid.Values -join ', ') + '.' })
    }

    $w.WriteStartElement('command', 'parameter', $nsCommand)
    $w.WriteAttributeString('required', "$mandatory".ToLowerInvariant())
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', $pipeline)
    $w.WriteAttributeString('position', $(if ($null -ne $position -and $position -ge 0) { "$position" } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($info.Aliases.Count) { $info.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $nsMaml, $name)
    Write-Description 'maml' $description
    if (-not $isSwitch -or -not $setParam) {
        $w.WriteStartElement('command', 'parameterValue', $nsCommand)
        $w.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString((Get-TypeName $cmd $name))
        $w.WriteEndElement()
    }
    if ($valid.Values) {
        $w.WriteStartElement('command', 'parameterValueGroup', $nsCommand)
        foreach ($v in $valid.Values) {
            $w.WriteStartElement('command', 'parameterValue', $nsCommand)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($v); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $nsDev)
    $w.WriteElementString('maml', 'name', $nsMaml, (Get-TypeName $cmd $name))
    $w.WriteElementString('maml', 'uri', $nsMaml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $nsDev, $(if ($text.ContainsKey('Default')) { [string]$text.Default } elseif ($isSwitch) { 'False' } else { 'None' }))
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
$missing = 0
foreach ($cmd in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
    $sourceFile = Join-Path $SourceDirectory "$($cmd.Name).psd1"
    if (-not (Test-Path $sourceFile)) {
        Write-Warning "No help source for $($cmd.Name): add $sourceFile"
        $missing++
        continue
    }
    $source = Import-PowerShellDataFile $sourceFile
    $w.WriteStartElement('command', 'command', $nsCommand)
    $w.WriteAttributeString('xmlns', 'maml', $null, $nsMaml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $nsDev)

    $w.WriteStartElement('command', 'details', $nsCommand)
    $w.WriteElementString('command', 'name', $nsCommand, $cmd.Name)
    $w.WriteElementString('command', 'verb', $nsCommand, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $nsCommand, $cmd.Noun)
    Write-Description 'maml' $source.Synopsis
    $w.WriteEndElement()
    Write-Description 'maml' $source.Description

    $w.WriteStartElement('command', 'syntax', $nsCommand)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $nsCommand)
        $w.WriteElementString('maml', 'name', $nsMaml, $cmd.Name)
        $ordered = $set.Parameters | Where-Object Name -notin $common |
            Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { 1000 } } }, @{ Expression = { -[int]$_.IsMandatory } }
        foreach ($p in $ordered) { Write-Parameter $cmd $source $p.Name $p }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $nsCommand)
    foreach ($name in ($cmd.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)) {
        if (-not (Get-ParamText $source $name).Description) { Write-Warning "$($cmd.Name): no help for parameter -$name" }
        Write-Parameter $cmd $source $name $null
    }
    $w.WriteEndElement()

    $inputs = @($cmd.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } })
    $w.WriteStartElement('command', 'inputTypes', $nsCommand)
    foreach ($i in $inputs) {
        $w.WriteStartElement('command', 'inputType', $nsCommand)
        $w.WriteStartElement('dev', 'type', $nsDev); $w.WriteElementString('maml', 'name', $nsMaml, (Get-InputTypeName $i.ParameterType)); $w.WriteEndElement()
        Write-Description 'maml' "Bound to -$($i.Name)."
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $nsCommand)
    foreach ($o in ($cmd.OutputType | Select-Object -ExpandProperty Name -Unique)) {
        $w.WriteStartElement('command', 'returnValue', $nsCommand)
        $w.WriteStartElement('dev', 'type', $nsDev); $w.WriteElementString('maml', 'name', $nsMaml, $o); $w.WriteEndElement()
        Write-Description 'maml' $(if ($source.ContainsKey('Outputs') -and $source.Outputs[$o]) { $source.Outputs[$o] } else { '' })
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    if ($source.ContainsKey('Notes') -and $source.Notes) {
        $w.WriteStartElement('maml', 'alertSet', $nsMaml)
        $w.WriteStartElement('maml', 'alert', $nsMaml); Write-Paras $source.Notes; $w.WriteEndElement()
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $nsCommand)
    $n = 0
    foreach ($ex in @($source.Examples)) {
        $n++
        $w.WriteStartElement('command', 'example', $nsCommand)
        $w.WriteElementString('maml', 'title', $nsMaml, "-------------------------- Example ${n}: $($ex.Title) --------------------------")
        $w.WriteElementString('dev', 'code', $nsDev, $ex.Code.Trim())
        $w.WriteStartElement('dev', 'remarks', $nsDev); Write-Paras $ex.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $nsCommand)
    foreach ($link in @($source['Links'])) {
        if (-not $link) { continue }
        $w.WriteStartElement('maml', 'navigationLink', $nsMaml)
        $w.WriteElementString('maml', 'linkText', $nsMaml, $link)
        $w.WriteElementString('maml', 'uri', $nsMaml, '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement() # command:command
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()
if ($missing) { Write-Warning "$missing cmdlet(s) have no help source." }

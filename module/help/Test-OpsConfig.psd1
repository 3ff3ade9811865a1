@{
    Synopsis    = 'Validates an OpsRunbook config file and reports each problem with its line and column.'
    Description = @'
Test-OpsConfig reads a config file and returns one ConfigProblem record per problem: YAML syntax errors, unknown keys (with a suggestion when one is close), values of the wrong type or out of range, required keys that are missing, ${env:NAME} references whose variable is not set, and secrets written into the file rather than taken from the environment (a warning).

It returns nothing for a clean file. With -Quiet it returns $true when the file has no errors and $false otherwise, which suits scheduled runbooks. A file that does not exist is a non-terminating error (ConfigFileNotFound).

Without -Environment, every environment's variables are checked. With -Environment, only that environment's variables are, as other cmdlets do when they run.
'@
    Parameters  = @{
        ConfigPath  = @{ Description = 'The config file to validate. Accepts pipeline input (for example from Get-ChildItem). When omitted, the file other cmdlets would use: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
        Environment = 'Checks variables for this environment only, and reports an error if the file does not define it.'
        Quiet       = 'Returns $true when the file has no errors (warnings allowed) and $false otherwise, instead of the problem records.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Config.ConfigProblem' = 'One per problem: Severity, Kind, Path, Line, Column, Message, File.'
        'System.Boolean'                       = 'With -Quiet: whether the file has no errors.'
    }
    Examples    = @(
        @{
            Title   = 'Check the config in use'
            Code    = 'Test-OpsConfig'
            Remarks = 'Lists every problem in the file that the other cmdlets would read. No output means the file is clean.'
        }
        @{
            Title   = 'Fail a scheduled runbook on a broken config'
            Code    = 'if (-not (Test-OpsConfig ./ops.yaml -Environment production -Quiet)) { Write-Error "ops.yaml is broken" }'
            Remarks = 'Checks the production environment of ./ops.yaml and writes an error when it has any.'
        }
        @{
            Title   = 'Check every config file in a folder'
            Code    = 'Get-ChildItem -Filter *.yaml | Test-OpsConfig | Format-Table File, Line, Column, Message'
            Remarks = 'File paths bind from the pipeline by their FullName.'
        }
    )
    Links       = @('Get-OpsConfig', 'about_OpsRunbook')
}

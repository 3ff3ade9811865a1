@{
    Synopsis    = 'Shows the resolved OpsRunbook environment from ops.yaml, with every secret redacted.'
    Description = @'
Get-OpsConfig finds the config file (-ConfigPath, then $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml), substitutes ${env:NAME} references from the environment, validates it and returns the chosen environment as an EnvironmentConfig object: the same object every other OpsRunbook cmdlet works from.

Secrets (postgres.password, redis.password, s3.accessKey, s3.secretKey) are Secret objects: they display as ******** with the variable they came from, and ConvertTo-Json or Export-Csv see only IsSet and Source, never the value.

A broken file is a terminating error (ConfigSyntaxError, ConfigInvalid); a variable that the environment needs but is not set is ConfigVariableMissing, naming it. Use Test-OpsConfig to list every problem.
'@
    Parameters  = @{
        Environment   = @{ Description = "The environment to resolve, as named under 'environments:' in the file. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath    = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
        ListAvailable = 'Lists the environments defined in the file (name, whether it is the default, and its sections) instead of resolving one. Variables are not needed for this.'
    }
    Outputs     = @{
        'OpsRunbook.Core.Config.EnvironmentConfig'  = 'The resolved environment; secrets are redacted.'
        'OpsRunbook.Core.Config.OpsEnvironmentInfo' = 'With -ListAvailable: one per environment.'
    }
    Examples    = @(
        @{
            Title   = 'Show the default environment'
            Code    = 'Get-OpsConfig'
            Remarks = 'Shows every section of the default environment. Passwords and keys show as ******** with the variable they come from.'
        }
        @{
            Title   = 'Read one value for a script'
            Code    = '(Get-OpsConfig -Environment staging).Postgres.Host'
            Remarks = 'Returns the PostgreSQL host of the staging environment.'
        }
        @{
            Title   = 'List the environments in a file'
            Code    = 'Get-OpsConfig -ListAvailable'
            Remarks = 'One line per environment, with the sections each one defines.'
        }
    )
    Notes       = 'The config format is described in README.md and examples/ops.yaml.'
    Links       = @('Test-OpsConfig', 'about_OpsRunbook')
}

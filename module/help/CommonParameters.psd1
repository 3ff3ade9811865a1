# Help text for parameters that many cmdlets share through a base class (and -WhatIf/-Confirm). Build-Help.ps1
# uses an entry here when a cmdlet's own <Verb-Noun>.psd1 does not describe the parameter; a cmdlet whose
# parameter means something particular describes it in its own file, which wins.
@{
    Environment = @{ Description = "The environment in ops.yaml to work on, as named under 'environments:'. Tab completion offers the file's environments; a name the file does not have is a ConfigEnvironmentNotFound error."; Default = "The file's defaultEnvironment" }
    ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    Server      = @{ Description = 'A PostgreSQL server to work on instead of the config file''s: host, host:port or [IPv6 address]:port (port 5432 when omitted), as dbatools'' -SqlInstance (also accepted as an alias). No ops.yaml is read; every other setting is at its default. Log in with -Credential, or $env:PGUSER and $env:PGPASSWORD (or ~/.pgpass) as psql does.'; Default = 'None: the environment''s postgres section' }
    Database    = @{ Description = 'With -Server: the database to connect to.'; Default = 'postgres' }
    Credential  = @{ Description = 'The user name and password to connect with. With the config file it replaces postgres.username and postgres.password (a superuser can use the reserved connection slots when the server is full); with -Server it is the login for that server.'; Default = 'postgres.username and postgres.password; with -Server, $env:PGUSER and $env:PGPASSWORD' }
    WhatIf      = @{ Description = 'Shows what the cmdlet would change, without changing anything.'; Default = 'False' }
    Confirm     = @{ Description = 'Asks for confirmation before each change. -Confirm:$false never asks.'; Default = 'Depends on the cmdlet''s ConfirmImpact and $ConfirmPreference' }
}

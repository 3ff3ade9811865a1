@{
    Synopsis    = "Runs the Cost Review's cost_tracking queries for one month: cost by service, by subscription tier, or by user, with the cost per active user."
    Description = @'
Get-OpsCostReport runs the runbook's Cost Review (1st of Month) SQL on the environment's PostgreSQL and returns typed rows, money as decimal (never a floating-point number):
- -By Service (default), the runbook's "Cost by service": Service, ApiCalls (COUNT(*)), TotalCost (SUM(cost)), AvgCost (AVG(cost)).
- -By Tier, the runbook's "Cost by user tier": Tier, Users (COUNT(DISTINCT user_id)), TotalCost, AvgCostPerUser (TotalCost over Users) and AvgCost (the runbook's avg_cost_per_user column, which is AVG(cost): the mean per call).
- -By User: UserId, Email, Tier, ApiCalls and TotalCost, largest first.

Every row also carries Month, ActiveUsers (distinct users in user_activity during the month) and CostPerActiveUser (the row's TotalCost over ActiveUsers). The rows' CostPerActiveUser add up to the month's cost per active user, whose Success Metrics target is under $0.10.

-Month is a calendar month (yyyy-MM); without it, last month on the database server, as the runbook's DATE_TRUNC('month', CURRENT_DATE - INTERVAL '1 month'). Unlike the runbook's SQL the month also ends: a report run mid-month still covers one month.
'@
    Parameters  = @{
        Month       = @{ Description = 'The month to report, yyyy-MM (2026-11).'; Default = 'Last month on the database server' }
        By          = @{ Description = 'Service (cost by service), Tier (cost by subscription tier) or User (cost by user).'; Default = 'Service' }
        Environment = @{ Description = "The environment in ops.yaml whose postgres section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{
        'OpsRunbook.Core.Payments.ServiceCost' = 'One per service (-By Service).'
        'OpsRunbook.Core.Payments.TierCost'    = 'One per subscription tier (-By Tier).'
        'OpsRunbook.Core.Payments.UserCost'    = 'One per user with a cost (-By User).'
    }
    Examples    = @(
        @{ Title = "Last month's cost by service"; Code = 'Get-OpsCostReport'; Remarks = 'The runbook''s first query.' }
        @{ Title = 'The cost per active user against the $0.10 target'; Code = '$perUser = (Get-OpsCostReport | Measure-Object CostPerActiveUser -Sum).Sum; "{0:0.0000} USD per active user ({1})" -f $perUser, $(if ($perUser -lt 0.10) { ''on target'' } else { ''over target'' })'; Remarks = 'Sums the rows'' shares.' }
        @{ Title = 'One month by tier, to CSV'; Code = 'Get-OpsCostReport -Month (Get-Date).AddMonths(-1).ToString(''yyyy-MM'') -By Tier | Export-Csv -Path ./cost-by-tier.csv -NoTypeInformation'; Remarks = 'Exact decimals in the file.' }
    )
    Links       = @('Get-OpsAwsCost')
}

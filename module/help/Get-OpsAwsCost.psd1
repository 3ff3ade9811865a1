@{
    Synopsis    = "Gets one month's AWS cost from Cost Explorer (GetCostAndUsage, UnblendedCost), by service or usage type."
    Description = @'
Get-OpsAwsCost is the Cost Review's `aws ce get-cost-and-usage --granularity MONTHLY --metrics UnblendedCost --group-by Type=DIMENSION,Key=SERVICE`. It calls Cost Explorer's GetCostAndUsage (JSON 1.1 protocol, signed with AWS Signature Version 4) for one calendar month, follows NextPageToken until the last page, and returns one AwsCostLine per group: Month, GroupBy, Key (the service or usage type), Amount (decimal), Unit and Estimated (AWS may still revise the month).

The endpoint is aws.costExplorerServiceUrl (empty: https://ce.us-east-1.amazonaws.com). The keys are aws.accessKey and aws.secretKey, or the s3 section's when those are absent; the IAM user needs ce:GetCostAndUsage. The call is bounded by aws.timeoutSeconds. Cost Explorer's own errors (AccessDenied, InvalidSignature, DataUnavailable) are AwsCostExplorerError with AWS's message.
'@
    Parameters  = @{
        Month       = @{ Description = 'The month, yyyy-MM (2026-11).'; Default = 'Last month (UTC)' }
        GroupBy     = @{ Description = 'SERVICE (the runbook''s grouping) or USAGE_TYPE.'; Default = 'SERVICE' }
        Environment = @{ Description = "The environment in ops.yaml whose aws (and s3) section is used. Tab completion offers the file's environments."; Default = "The file's defaultEnvironment" }
        ConfigPath  = @{ Description = 'The config file to read. When omitted: $env:OPSRUNBOOK_CONFIG, then ./ops.yaml, then ~/.config/opsrunbook/ops.yaml.'; Default = 'Found by the lookup order' }
    }
    Outputs     = @{ 'OpsRunbook.Core.Payments.AwsCostLine' = 'One per service or usage type, largest first.' }
    Examples    = @(
        @{ Title = "Last month's AWS bill by service"; Code = 'Get-OpsAwsCost'; Remarks = 'Largest first.' }
        @{ Title = 'The total of one month'; Code = '(Get-OpsAwsCost -Month (Get-Date).AddMonths(-1).ToString(''yyyy-MM'') | Measure-Object Amount -Sum).Sum'; Remarks = 'A decimal, in USD.' }
        @{ Title = 'By usage type'; Code = 'Get-OpsAwsCost -GroupBy USAGE_TYPE | Select-Object -First 3'; Remarks = 'The three largest usage types.' }
    )
    Links       = @('Get-OpsCostReport')
}

@{
    Synopsis    = "Sends the config's smoke test requests (the runbook's 'Test critical paths') and checks each answer's status."
    Description = @'
Test-OpsSmoke sends each request of smokeTests: in the config, in order, and compares the status with its expectStatus. An entry is name, method (GET, POST, PUT, DELETE, HEAD, PATCH; default GET), path (relative to api.baseUrl) or url, body (sent as JSON), expectStatus (default 200) and timeoutSeconds (default 10). For example:

    smokeTests:
      - { name: health, method: GET, path: /api/health, expectStatus: 200 }
      - { name: auth, method: POST, path: /api/auth/test, expectStatus: 200 }

Each request goes through the module's one HTTP client with its own bound and no retries; redirects are not followed. An endpoint that cannot be reached is a failed test with the reason, not an error. Stop-OpsMaintenance runs these before it resumes.
'@
    Parameters  = @{
        Name  = @{ Description = 'Only these tests (wildcards allowed).'; Default = 'Every test' }
        Quiet = 'Return $true when every test passed, else $false.'
    }
    Outputs     = @{ 'OpsRunbook.Core.Operations.SmokeTestResult' = 'Name, Method, Url, ExpectedStatus, StatusCode, Passed, Duration, DurationMs, Message.'; 'System.Boolean' = 'With -Quiet.' }
    Examples    = @(
        @{ Title = 'Test the critical paths'; Code = 'Test-OpsSmoke'; Remarks = 'One row per request with its status.' }
        @{ Title = 'In a script'; Code = "if (-not (Test-OpsSmoke -Quiet)) { Write-Warning 'smoke tests failed' }"; Remarks = '$true when all passed.' }
    )
    Links       = @('Stop-OpsMaintenance', 'Get-OpsHealth')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
}

Describe 'The error catalogue' {
    It 'documents every error id in about_OpsRunbook, with its category and meaning' {
        $about = (Get-Help about_OpsRunbook | Out-String -Width 300) -replace '\s+', ' '
        $ids = [OpsRunbook.Core.Errors.ErrorIds]::All.Values
        @($ids).Count | Should -BeGreaterThan 50
        foreach ($id in $ids) {
            $about | Should -Match "$($id.Name) \[$($id.Category)\]" -Because "$($id.Name) must be documented"
            $about | Should -Match ([regex]::Escape(($id.Meaning -replace '\s+', ' ').Substring(0, [Math]::Min(40, $id.Meaning.Length))))
        }
    }

    It 'is the only source of ids: no cmdlet or core file builds an ErrorRecord or OpsException from a string literal' {
        $src = Join-Path (Get-OpsRepoRoot) 'src'
        $hits = Get-ChildItem $src -Recurse -Filter *.cs | Where-Object FullName -notmatch '/(bin|obj)/' |
            Select-String -Pattern 'new OpsException\("', 'IsConfigError\s*=\s*.*StartsWith\("Config', 'ErrorId\.StartsWith\("Config'
        $hits | Should -BeNullOrEmpty
    }
}

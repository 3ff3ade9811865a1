BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OpsTestModule
}

Describe 'Get-OpsDiskSpace' {
    It 'matches df for the configured paths, with raw bytes' {
        Assert-OpsSandbox
        $r = @(Get-OpsDiskSpace -ConfigPath (Get-OpsSandbox).ConfigPath)
        $r.Count | Should -Be 1
        $df = (df -B1 --output=size,itotal,target / | Select-Object -Skip 1) -split '\s+' | Where-Object { $_ }
        $r[0].SizeBytes | Should -Be ([long]$df[0])
        $r[0].InodesTotal | Should -Be ([long]$df[1])
        $r[0].MountPoint | Should -Be '/'
        $r[0].UsedPercent | Should -BeGreaterThan 0
    }

    It 'reports a small filesystem of its own exactly, and takes paths from the pipeline' {
        $mnt = Join-Path $TestDrive 'small'; $null = New-Item -ItemType Directory $mnt
        mount -t tmpfs -o size=4m,nr_inodes=1000 opsrunbook-test $mnt
        if ($LASTEXITCODE -ne 0) { throw "mount failed: the disk tests need root (mount -t tmpfs)" }
        try {
            [IO.File]::WriteAllBytes("$mnt/fill.bin", [byte[]]::new(3MB))
            $r = Get-Item $mnt | Get-OpsDiskSpace
            $r.MountPoint | Should -Be $mnt
            $r.FileSystemType | Should -Be 'tmpfs'
            $r.SizeBytes | Should -Be 4MB
            $r.UsedBytes | Should -Be 3MB
            $r.FreeBytes | Should -Be 1MB
            $r.UsedPercent | Should -Be 75
            $r.InodesTotal | Should -Be 1000
            ($r | Out-String) | Should -Match '4\.0 MiB'
            $csv = $r | ConvertTo-Csv | ConvertFrom-Csv
            $csv.SizeBytes | Should -Be '4194304'
        }
        finally { umount $mnt }
    }

    It 'lists real filesystems with -All and leaves out pseudo filesystems' {
        $r = @(Get-OpsDiskSpace -All)
        $r.MountPoint | Should -Contain '/'
        $r.FileSystemType | Should -Not -Contain 'proc'
        $r.FileSystemType | Should -Not -Contain 'sysfs'
    }

    It 'reports a missing path as a non-terminating error' {
        $r = @(Get-OpsDiskSpace -Path '/nonexistent/opsrunbook', '/' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,OpsRunbook.Commands.GetOpsDiskSpaceCommand'
        { Get-OpsDiskSpace -Path '/nonexistent/opsrunbook' -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,OpsRunbook.Commands.GetOpsDiskSpaceCommand'
    }
}

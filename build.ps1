#!/usr/bin/env pwsh
# XenLite build entry point for PowerShell: the same verbs as build.sh.
#   ./build.ps1 [build|test|run|image|cli|bench|deps] [--filter <expr>] [--arch x86_64|arm64]
# On Linux it hands over to build.sh (QEMU, clang and lld come from the system there);
# elsewhere it builds and tests the hosted core with the .NET SDK alone.
param(
    [Parameter(Position = 0)][string]$Verb = 'all',
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

if ($IsLinux -and (Get-Command bash -ErrorAction SilentlyContinue)) {
    & bash ./build.sh $Verb @Rest
    exit $LASTEXITCODE
}

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    Write-Host "==> $What"
    & $Block
    if ($LASTEXITCODE -ne 0) { Write-Error "build.ps1: $What failed"; exit 1 }
}

switch ($Verb) {
    { $_ -in 'all', 'build' } {
        Invoke-Checked 'building the hosted core and tests' { dotnet build XenLite.sln -c Release -nologo -v q }
    }
    'test' {
        Invoke-Checked 'building the hosted core and tests' { dotnet build XenLite.sln -c Release -nologo -v q }
        $filter = @()
        if ($Rest.Count -ge 2 -and $Rest[0] -eq '--filter') { $filter = @('--filter', $Rest[1]) }
        $out = dotnet test XenLite.sln -c Release --no-build -nologo @filter 2>&1 | Tee-Object -Variable lines
        $status = $LASTEXITCODE
        $p = 0; $f = 0; $s = 0
        foreach ($l in $lines) {
            if ("$l" -match 'Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)') {
                $f += [int]$Matches[1]; $p += [int]$Matches[2]; $s += [int]$Matches[3]
            }
        }
        Write-Host "$p passed, $f failed, $s skipped"
        exit $status
    }
    'bench' { dotnet run -c Release --project tests/XenLite.Bench/XenLite.Bench.csproj -- @Rest; exit $LASTEXITCODE }
    default { Write-Error "build.ps1: '$Verb' needs Linux (QEMU, clang, lld): use build.sh"; exit 2 }
}

<#
.SYNOPSIS
Registers the Windows scheduled task that runs Export-FostatFailoverStats.ps1 every few
minutes, and the "fostat" event log source it reports failures to.

.DESCRIPTION
Creates (or replaces) the scheduled task -TaskName in the task folder \fostat\. The task
runs as SYSTEM by default (or as -User, a member of DHCP Users, with its password), starts
now and repeats every -IntervalMinutes without end, never runs twice at once, and is
stopped if a run takes longer than 10 minutes:

    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass
        -File <ScriptPath> -OutputDirectory <OutputDirectory> [-AsJson]
        [-ComputerName <ComputerName>] [-LogFile <LogFile>]

Run it once, elevated ("Run as administrator"), on the DHCP server (or on a machine with the
DHCP Server Tools that can reach it, with -ComputerName and -User).

.PARAMETER ScriptPath
Export-FostatFailoverStats.ps1. Default: the one beside this script. Copy both to a
directory that only administrators can write to (C:\Program Files\fostat), since the task
runs the script with the task's rights.

.PARAMETER OutputDirectory
Passed to the export script. Default: $env:ProgramData\fostat\exports.

.PARAMETER IntervalMinutes
Minutes between runs, 1 to 1440. Default 5, Windows DHCP's own rebalancing interval.

.PARAMETER AsJson
The export script writes JSON instead of CSV.

.PARAMETER ComputerName
The DHCP server to ask. Default: this computer.

.PARAMETER LogFile
Passed to the export script: failures are appended to it too.

.PARAMETER TaskName
Default "Export-FostatFailoverStats".

.PARAMETER User
Run the task as this account instead of SYSTEM (prompts for its password).

.EXAMPLE
.\Register-FostatTask.ps1

.EXAMPLE
.\Register-FostatTask.ps1 -IntervalMinutes 10 -OutputDirectory \\collector\fostat$\dhcp1 -User CONTOSO\svc-fostat

.NOTES
Remove the task with: Unregister-ScheduledTask -TaskPath '\fostat\' -TaskName Export-FostatFailoverStats
#>
[CmdletBinding()]
param(
    [string] $ScriptPath = (Join-Path $PSScriptRoot 'Export-FostatFailoverStats.ps1'),
    [string] $OutputDirectory = (Join-Path $env:ProgramData 'fostat\exports'),
    [ValidateRange(1, 1440)]
    [int] $IntervalMinutes = 5,
    [switch] $AsJson,
    [string] $ComputerName = '',
    [string] $LogFile = '',
    [string] $TaskName = 'Export-FostatFailoverStats',
    [string] $User = ''
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$identity = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
if (-not $identity.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Register-FostatTask.ps1 must run elevated (Run as administrator).'
}
if (-not (Test-Path -LiteralPath $ScriptPath)) {
    throw "The export script is not at $ScriptPath; give -ScriptPath."
}
$ScriptPath = (Resolve-Path -LiteralPath $ScriptPath).Path

# Where the export script reports failures.
if (-not [System.Diagnostics.EventLog]::SourceExists('fostat')) {
    New-EventLog -LogName Application -Source 'fostat'
}

$arguments = @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass',
    '-File', "`"$ScriptPath`"", '-OutputDirectory', "`"$OutputDirectory`"")
if ($AsJson) { $arguments += '-AsJson' }
if ($ComputerName) { $arguments += @('-ComputerName', "`"$ComputerName`"") }
if ($LogFile) { $arguments += @('-LogFile', "`"$LogFile`"") }

$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ($arguments -join ' ')
# Start on the next whole minute, then repeat for ever (no -RepetitionDuration: indefinitely
# on Windows Server 2016 and later).
$start = (Get-Date).Date.AddHours((Get-Date).Hour).AddMinutes((Get-Date).Minute + 1)
$trigger = New-ScheduledTaskTrigger -Once -At $start `
    -RepetitionInterval (New-TimeSpan -Minutes $IntervalMinutes)
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew `
    -ExecutionTimeLimit (New-TimeSpan -Minutes 10) -StartWhenAvailable `
    -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries

$register = @{
    TaskName    = $TaskName
    TaskPath    = '\fostat\'
    Action      = $action
    Trigger     = $trigger
    Settings    = $settings
    Description = 'Writes DHCP failover scope statistics for fostat (Export-FostatFailoverStats.ps1).'
    Force       = $true
}
if ($User) {
    $credential = Get-Credential -UserName $User -Message "Password of $User for the fostat task"
    $register.User = $credential.UserName
    $register.Password = $credential.GetNetworkCredential().Password
    $register.RunLevel = 'Limited'
} else {
    $register.Principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount `
        -RunLevel Highest
}
Register-ScheduledTask @register | Out-Null

Write-Host "Registered \fostat\$TaskName: every $IntervalMinutes minutes from $start,"
Write-Host "writing into $OutputDirectory. Run it now with:"
Write-Host "  Start-ScheduledTask -TaskPath '\fostat\' -TaskName '$TaskName'"

<#
.SYNOPSIS
Writes one file of DHCP failover scope statistics for fostat: every scope of every failover
relationship of one DHCP server, with the time, the server and the relationship.

.DESCRIPTION
Run by a Windows scheduled task (see Register-FostatTask.ps1), every 5 minutes by default.
Each run calls Get-DhcpServerv4Failover and Get-DhcpServerv4ScopeStatistics -Failover once
and writes one file into -OutputDirectory:

    fostat-<server>-<yyyyMMddTHHmmssZ>.csv     (or .json with -AsJson)

One record per scope of each failover relationship, with these properties in this order:

    Timestamp                      the time of the run, UTC, ISO 8601: 2026-11-24T08:00:00Z
    ServerName                     -ComputerName (default: this computer's name)
    Relationship                   the failover relationship's Name
    Mode                           LoadBalance or HotStandby
    ServerRole                     Active or Standby in hot standby; in load balance, where
                                   Windows leaves ServerRole empty, Primary or Secondary
                                   (from ServerType)
    ServerType                     PrimaryServer or SecondaryServer: this server's part in
                                   the relationship; empty on Windows Server 2012 without R2,
                                   which does not show it
    LoadBalancePercent             in load balance the relationship's LoadBalancePercent as
                                   Windows shows it, the primary server's share of the
                                   client load (fostat gives the secondary the rest); else
                                   empty
    ReservePercent                 the standby's reserve in hot standby, else empty
    State                          the relationship's State: Normal, CommunicationInterrupted,
                                   PartnerDown, ...
    ScopeId                        10.1.2.0
    AddressesFree, AddressesInUse, AddressesFreeOnThisServer, AddressesFreeOnPartnerServer,
    AddressesInUseOnThisServer, AddressesInUseOnPartnerServer, PercentageInUse,
    ReservedAddress, PendingOffers
                                   Get-DhcpServerv4ScopeStatistics -Failover's properties;
                                   empty (CSV) or null (JSON) when Windows gives none

CSV is written by Export-Csv -NoTypeInformation -Encoding UTF8 (every field quoted); JSON by
ConvertTo-Json as a list of flat objects of plain strings and numbers. The file is written
under a temporary name and renamed when complete, so a reader never sees half a file.

Copy the files to the machine that runs fostat and import them:

    fostat-collect --db site.db import fostat-*.csv

Failures are written to the Application event log (source "fostat", created by
Register-FostatTask.ps1) and, with -LogFile, appended to that file; the script then exits
with status 1, which Task Scheduler shows as the task's last result.

.PARAMETER OutputDirectory
Where the files go. Created if missing. Default: $env:ProgramData\fostat\exports.

.PARAMETER AsJson
Write JSON instead of CSV.

.PARAMETER ComputerName
The DHCP server to ask (default: this computer). Its name is written as ServerName.

.PARAMETER LogFile
A file to append failures to, besides the event log.

.EXAMPLE
.\Export-FostatFailoverStats.ps1 -OutputDirectory D:\fostat

.EXAMPLE
.\Export-FostatFailoverStats.ps1 -AsJson -ComputerName dhcp2.example.net

.NOTES
Needs the DhcpServer module (the DHCP Server role, or RSAT's DHCP Server Tools) and
membership in DHCP Users or Administrators on the server. Windows Server 2012 or later;
Windows PowerShell 3.0 (2012's own) to 5.1, or PowerShell 7. On Windows Server 2012 without
R2, Get-DhcpServerv4Failover has no ServerType: the column is empty, and fostat refuses a
load-balance relationship other than 50/50 from it, whose shares it cannot tell.
#>
[CmdletBinding()]
param(
    [string] $OutputDirectory = (Join-Path $env:ProgramData 'fostat\exports'),
    [switch] $AsJson,
    [string] $ComputerName = $env:COMPUTERNAME,
    [string] $LogFile = ''
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$invariant = [System.Globalization.CultureInfo]::InvariantCulture

function Write-Failure([string] $Message) {
    # The event source exists when Register-FostatTask.ps1 created it; without it the
    # failure still reaches the log file and the task's exit status.
    try {
        Write-EventLog -LogName Application -Source 'fostat' -EventId 1 -EntryType Error `
            -Message $Message
    } catch {
        Write-Warning "fostat: cannot write to the event log: $($_.Exception.Message)"
    }
    if ($LogFile) {
        $line = '{0} {1}' -f [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ', $invariant), $Message
        Add-Content -Path $LogFile -Value $line -Encoding UTF8
    }
    Write-Error $Message -ErrorAction Continue
}

# A property that not every Windows version shows, or $null: ServerType comes with Windows
# Server 2012 R2's DhcpServer module; ServerRole, PercentageInUse, ReservedAddress and
# PendingOffers are read the same way, as fostat can do without them. Reading a missing
# property directly stops the script under Set-StrictMode.
function Get-OptionalProperty($Object, [string] $Name) {
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

# $null stays $null (an empty CSV field, JSON null); anything else a plain number.
function ConvertTo-Count($Value) {
    if ($null -eq $Value) { return $null }
    return [int64] $Value
}

try {
    $now = [DateTime]::UtcNow
    $timestamp = $now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", $invariant)

    $relationships = @(Get-DhcpServerv4Failover -ComputerName $ComputerName)
    # One call for all scopes; matched to the relationships by ScopeId.
    $statistics = @{}
    foreach ($s in @(Get-DhcpServerv4ScopeStatistics -ComputerName $ComputerName -Failover)) {
        $statistics[$s.ScopeId.ToString()] = $s
    }

    $records = New-Object System.Collections.Generic.List[object]
    foreach ($relationship in $relationships) {
        $serverType = [string] (Get-OptionalProperty $relationship 'ServerType')
        $role = [string] (Get-OptionalProperty $relationship 'ServerRole')
        if (-not $role) {
            # PrimaryServer -> Primary, SecondaryServer -> Secondary
            $role = $serverType -replace 'Server$', ''
        }
        # Empty (CSV) or null (JSON) rather than "" when Windows gives none.
        if (-not $serverType) { $serverType = $null }
        if (-not $role) { $role = $null }
        $loadBalance = $null
        $reserve = $null
        if ([string] $relationship.Mode -eq 'HotStandby') {
            $reserve = ConvertTo-Count $relationship.ReservePercent
        } else {
            $loadBalance = ConvertTo-Count $relationship.LoadBalancePercent
        }
        foreach ($scopeId in @($relationship.ScopeId)) {
            $s = $statistics[$scopeId.ToString()]
            if ($null -eq $s) {
                Write-Warning "fostat: no statistics for scope $scopeId of $($relationship.Name)"
                continue
            }
            $percentage = Get-OptionalProperty $s 'PercentageInUse'
            if ($null -ne $percentage) {
                $percentage = [math]::Round([double] $percentage, 2)
                if (-not $AsJson) { $percentage = $percentage.ToString($invariant) }
            }
            $records.Add([pscustomobject] @{
                Timestamp                     = $timestamp
                ServerName                    = $ComputerName
                Relationship                  = [string] $relationship.Name
                Mode                          = [string] $relationship.Mode
                ServerRole                    = $role
                ServerType                    = $serverType
                LoadBalancePercent            = $loadBalance
                ReservePercent                = $reserve
                State                         = [string] $relationship.State
                ScopeId                       = $scopeId.ToString()
                AddressesFree                 = ConvertTo-Count $s.AddressesFree
                AddressesInUse                = ConvertTo-Count $s.AddressesInUse
                AddressesFreeOnThisServer     = ConvertTo-Count $s.AddressesFreeOnThisServer
                AddressesFreeOnPartnerServer  = ConvertTo-Count $s.AddressesFreeOnPartnerServer
                AddressesInUseOnThisServer    = ConvertTo-Count $s.AddressesInUseOnThisServer
                AddressesInUseOnPartnerServer = ConvertTo-Count $s.AddressesInUseOnPartnerServer
                PercentageInUse               = $percentage
                ReservedAddress               = ConvertTo-Count (Get-OptionalProperty $s 'ReservedAddress')
                PendingOffers                 = ConvertTo-Count (Get-OptionalProperty $s 'PendingOffers')
            })
        }
    }

    if (-not (Test-Path -LiteralPath $OutputDirectory)) {
        New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
    }
    $extension = if ($AsJson) { 'json' } else { 'csv' }
    $name = 'fostat-{0}-{1}.{2}' -f ($ComputerName -replace '[^A-Za-z0-9._-]', '_'),
        $now.ToString("yyyyMMdd'T'HHmmss'Z'", $invariant), $extension
    $path = Join-Path $OutputDirectory $name
    $partial = "$path.partial"

    if ($AsJson) {
        # -InputObject keeps a list of one scope a list, and an empty run "[]".
        ConvertTo-Json -InputObject @($records.ToArray()) -Depth 3 |
            Set-Content -LiteralPath $partial -Encoding UTF8
    } elseif ($records.Count -gt 0) {
        $records | Export-Csv -LiteralPath $partial -NoTypeInformation -Encoding UTF8
    } else {
        # Export-Csv writes nothing at all without objects: write the header alone.
        '"Timestamp","ServerName","Relationship","Mode","ServerRole","ServerType",' +
        '"LoadBalancePercent","ReservePercent","State","ScopeId","AddressesFree","AddressesInUse",' +
        '"AddressesFreeOnThisServer","AddressesFreeOnPartnerServer",' +
        '"AddressesInUseOnThisServer","AddressesInUseOnPartnerServer","PercentageInUse",' +
        '"ReservedAddress","PendingOffers"' | Set-Content -LiteralPath $partial -Encoding UTF8
    }
    Move-Item -LiteralPath $partial -Destination $path -Force
    Write-Verbose "fostat: wrote $($records.Count) scopes to $path"
} catch {
    Write-Failure ("fostat: Export-FostatFailoverStats on {0} failed: {1}" -f $ComputerName,
        $_.Exception.Message)
    exit 1
}

# tools/windows/Export-FostatFailoverStats.ps1, read as text (no PowerShell runs here):
#   1. the script runs under Set-StrictMode, where reading a property that the object does not
#      have stops it; so every property it reads directly from Get-DhcpServerv4Failover's and
#      Get-DhcpServerv4ScopeStatistics -Failover's objects must be one that Windows Server 2012
#      (without R2) already shows, and every other one goes through Get-OptionalProperty
#      (docs/sources/windows.md "Windows Server versions");
#   2. a record's columns (the [pscustomobject] keys, in order) are the header the script writes
#      for an empty run, and the header of the golden files tests/golden/powershell-script-csv
#      and the first line of the example in docs/sources/windows.md;
#   3. every column the script writes is one fostat-collect import reads, or one the docs name
#      as ignored.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"
script=$root/tools/windows/Export-FostatFailoverStats.ps1
note() { echo "windows_export_script: $*" >&2; }

# What Windows Server 2012's DhcpServer module shows (Microsoft's DhcpServerv4Failover and
# DhcpServerv4ScopeStatistics class references; ServerType, PrimaryServerName and the other
# server fields come with 2012 R2).
failover_2012=" Name PartnerServer Mode ScopeId State LoadBalancePercent ReservePercent MaxClientLeadTime StateSwitchInterval AutoStateTransition EnableAuth "
statistics_2012=" ScopeId AddressesFree AddressesInUse AddressesFreeOnThisServer AddressesFreeOnPartnerServer AddressesInUseOnThisServer AddressesInUseOnPartnerServer "

# (1) Direct reads: $relationship.X (Get-DhcpServerv4Failover), $s.X (the statistics).
check_reads() { # VARIABLE LIST WHAT
  local name n=0
  while read -r name; do
    [[ $2 == *" $name "* ]] ||
      fail "the script reads \$$1.$name directly, which $3 of Windows Server 2012 does not show: read it with Get-OptionalProperty"
    n=$((n + 1))
  done < <(grep -oE "\\\$$1\.[A-Za-z]+" "$script" | sed "s/^\\\$$1\.//" | sort -u)
  ((n > 0)) || fail "found no reads of \$$1: has the script changed its variable names?"
  echo "$n"
}
relationship_reads=$(check_reads relationship "$failover_2012" Get-DhcpServerv4Failover)
statistics_reads=$(check_reads s "$statistics_2012" Get-DhcpServerv4ScopeStatistics)
grep -q "Get-OptionalProperty \$relationship 'ServerType'" "$script" ||
  fail "the script does not read ServerType with Get-OptionalProperty"
note "direct reads: $relationship_reads properties of the relationship, $statistics_reads of the statistics, all shown by Windows Server 2012"

# (2) The columns, three ways.
record_columns=$(sed -n '/\[pscustomobject\] @{/,/})/p' "$script" | grep -oE '^ +[A-Za-z]+ += ' |
  tr -d ' =' | paste -sd, -)
[[ -n $record_columns ]] || fail "no [pscustomobject] record found in the script"
empty_header=$(sed -n '/write the header alone/,/Set-Content/p' "$script" | grep -oE '"[A-Za-z]+"' |
  tr -d '"' | paste -sd, -)
[[ $record_columns == "$empty_header" ]] ||
  fail "the empty run's header differs from the record's columns:"$'\n'"$empty_header"$'\n'"$record_columns"
for f in "$root"/tests/golden/powershell-script-csv/*.csv; do
  golden=$(head -1 "$f" | sed 's/^\xEF\xBB\xBF//' | tr -d '"\r')
  [[ $golden == "$record_columns" ]] ||
    fail "$(basename "$f")'s header is not the script's columns:"$'\n'"$golden"$'\n'"$record_columns"
done
docs_header=$(grep -m1 '^"Timestamp","ServerName"' "$root/docs/sources/windows.md" | tr -d '"')
[[ $docs_header == "$record_columns" ]] ||
  fail "docs/sources/windows.md's example header is not the script's columns:"$'\n'"$docs_header"$'\n'"$record_columns"

# (3) Each column is read by import or named in the docs as ignored.
ignored=" PercentageInUse ReservedAddress PendingOffers "
read_by_import=$(grep -oE '^    "[A-Za-z]+",$' "$root/src/sources/powershell_import.cpp" | tr -d ' ",' | paste -sd' ' -)
IFS=, read -ra columns <<<"$record_columns"
for c in "${columns[@]}"; do
  [[ " $read_by_import " == *" $c "* || $ignored == *" $c "* ]] ||
    fail "the script writes $c, which import neither reads nor ignores by name"
  [[ $ignored != *" $c "* ]] || grep -q "\`$c\`" "$root/docs/sources/windows.md" ||
    fail "docs/sources/windows.md does not name $c among the properties import ignores"
done
note "pass: ${#columns[@]} columns, the same in the record, the empty run's header, the golden files and the docs"

# The isc source on configurations and journals that dhcpd itself accepts
# (tests/data/isc-dhcpd, each case's origin in its README): fostat's samples are as recorded
# in fostat.csv, and, where dhcpd is installed, dhcpd still reads each case as recorded in
# dhcpd-t.txt, dhcpd-T.txt and dhcpd-T.leases, and every address dhcpd keeps as `backup` (which
# it does only in a pool with a failover peer) is one fostat counts as backup in its scope.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash" "$1"
source "$here/dhcpd/reading.bash"
cases=$(cd "$here/../data/isc-dhcpd" && pwd)

have_dhcpd=1
command -v dhcpd >/dev/null || have_dhcpd=0
checked=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  "$collect" --db "$name.db" isc --config "$dir/dhcpd.conf" --leases "$dir/dhcpd.leases" \
    --server p --at 2026-12-01T00:00:00Z >/dev/null 2>"$name.warnings" ||
    fail "$name: fostat-collect isc refused it: $(cat "$name.warnings")"
  "$query" --db "$name.db" samples --lease-states --format csv >"$name.csv"
  diff "$dir/fostat.csv" "$name.csv" || fail "$name: fostat's samples differ from fostat.csv"
  if [[ -f $dir/fostat-warning.txt ]]; then
    grep -qF -f "$dir/fostat-warning.txt" "$name.warnings" ||
      fail "$name: no warning '$(cat "$dir/fostat-warning.txt")' in: $(cat "$name.warnings")"
  fi
  ((have_dhcpd)) || continue
  dhcpd_reading "$dir/dhcpd.conf" "$dir/dhcpd.leases" "dhcpd-$name" ||
    fail "$name: dhcpd refuses it (above)"
  diff "$dir/dhcpd-t.txt" "dhcpd-$name/accepted.txt" || fail "$name: dhcpd -t says otherwise now"
  diff "$dir/dhcpd-T.txt" "dhcpd-$name/loaded.txt" || fail "$name: dhcpd -T says otherwise now"
  diff "$dir/dhcpd-T.leases" "dhcpd-$name/loaded.leases" ||
    fail "$name: dhcpd -T loads other leases now"
  # dhcpd's backup leases by /24 (every case's failover subnets are /24s) against fostat's.
  dhcpd_states "dhcpd-$name/loaded.leases" |
    awk '$2 == "backup" { split($1, o, "."); n[o[1] "." o[2] "." o[3] ".0/24"]++ }
         END { for (s in n) print s, n[s] }' | sort >"$name.dhcpd-backup"
  awk -F, 'NR > 1 && $21 > 0 { print $4, $21 }' "$name.csv" | sort >"$name.fostat-backup"
  diff "$name.dhcpd-backup" "$name.fostat-backup" ||
    fail "$name: the addresses dhcpd keeps as backup are not fostat's failover backups"
  checked=$((checked + 1))
done
((have_dhcpd)) || { echo "dhcpd is not installed: fostat's side checked, dhcpd's skipped" >&2; exit 77; }
echo "$checked cases read as dhcpd reads them"

# status --format openmetrics against Prometheus' own tools (Debian 12's prometheus package,
# 2.42): `promtool check metrics` (the text format node_exporter's textfile collector reads,
# and Prometheus' lint rules) passes on the output, and with --timestamps `promtool tsdb
# create-blocks-from openmetrics` (Prometheus' OpenMetrics parser, which requires # EOF)
# stores every gauge; `promtool tsdb dump` then gives back the names, the label values
# (quote, backslash, line feed, a byte that is not UTF-8), the values and the times. NULL
# counters are absent; the exit status is status's. Installs the prometheus package when
# promtool is missing; skipped (77) only when it cannot be installed. The package's
# service is never left running: one that the install started is stopped again.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

skip() { echo "SKIP: $*" >&2; exit 77; }
if ! command -v promtool >/dev/null; then
  before=$(pgrep -x prometheus || true)
  "$root/tools/install-deps" prometheus >/dev/null 2>&1 ||
    skip "promtool is not installed and could not be (Debian package prometheus)"
  # Where services start on install (not in a container whose policy-rc.d forbids it), the
  # package starts a Prometheus server: stop that one, by its pid, and no other.
  for pid in $(pgrep -x prometheus || true); do
    grep -qx "$pid" <<<"$before" || kill "$pid"
  done
fi
command -v promtool >/dev/null || skip "no promtool after installing prometheus"

# Two servers of one scope; dhcp2 cannot tell its addresses in use (NULL counters), and a
# third server has a name with a quote, a backslash and a line feed in it, and a
# relationship with a byte that is not UTF-8: fostat stores no such names now (import
# refuses them), but a database of an older version may hold them, so sqlite3 writes them.
printf '%s\n' \
  'timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,this_addr_free,partner_addr_in_use,this_addr_in_use,mode,expected_share,state' \
  '2026-11-24T08:00:00Z,dhcp1,dhcp1-dhcp2,10.1.2.0/24,254,24,230,12,12,115,115,load-balance,50,normal' \
  '2026-11-24T08:05:00Z,dhcp2,dhcp1-dhcp2,10.1.2.0/24,254,44,,22,22,,,hot-standby,5,partner-down' \
  '2026-11-24T08:00:00Z,odd,odd,10.9.0.0/16,100,90,10,45,45,5,5,load-balance,50,normal' >in.csv
"$collect" --db t.db -q import in.csv
sqlite3 t.db <<'SQL' || fail "sqlite3 could not write the odd names"
UPDATE series SET server = 'we"ird\' || char(10) || 'name' WHERE server = 'odd';
UPDATE relationships SET name = 'rel' || CAST(X'FF' AS TEXT) || 'x' WHERE name = 'odd';
SQL

"$query" --db t.db status >/dev/null && status=0 || status=$?
((status == 2)) || fail "status exits $status, expected 2 (dhcp1 at 90.6 %)"
"$query" --db t.db status --format openmetrics -o plain.om && rc=0 || rc=$?
((rc == status)) || fail "--format openmetrics exits $rc, status exits $status"
[[ $(tail -n 1 plain.om) == "# EOF" ]] || fail "the last line is not # EOF"
promtool check metrics <plain.om || fail "promtool check metrics refuses the output"
grep -q ' [0-9]* [0-9]*$' plain.om && fail "a sample with a timestamp without --timestamps"

"$query" --db t.db status --format openmetrics --timestamps -o stamped.om && rc=0 || rc=$?
((rc == status)) || fail "--timestamps exits $rc"
promtool tsdb create-blocks-from openmetrics stamped.om blocks >/dev/null ||
  fail "Prometheus' OpenMetrics parser refuses the output"
mkdir -p blocks/wal # dump reads a database directory, which has a WAL
promtool tsdb dump blocks >dump.txt || fail "promtool tsdb dump"

# 11 gauges for dhcp1 and the odd server; dhcp2's lack the three in-use counters and the
# utilization.
n=$(wc -l <dump.txt)
((n == 11 + 11 + 7)) || fail "$n series stored, expected 29: $(cat dump.txt)"
series() { grep -F "{__name__=\"$1\"" dump.txt | grep -F "server=\"$2\""; }
dhcp1='mode="load-balance", relationship="dhcp1-dhcp2", scope="10.1.2.0/24", server="dhcp1", state="normal"}'
[[ $(series fostat_scope_addresses_in_use dhcp1) == "{__name__=\"fostat_scope_addresses_in_use\", $dhcp1 230 1795507200000" ]] ||
  fail "in use of dhcp1: $(series fostat_scope_addresses_in_use dhcp1)"
[[ $(series fostat_scope_utilization_ratio dhcp1) == *"} 0.9055118110236221 1795507200000" ]] ||
  fail "utilization of dhcp1: $(series fostat_scope_utilization_ratio dhcp1)"
[[ $(series fostat_scope_severity dhcp1) == *"} 2 1795507200000" ]] || fail "severity of dhcp1"
[[ -z $(series fostat_scope_addresses_in_use dhcp2) ]] || fail "a NULL counter was written"
[[ -z $(series fostat_scope_utilization_ratio dhcp2) ]] || fail "an unknown utilization was written"
[[ $(series fostat_scope_addresses_free_this dhcp2) == *'mode="hot-standby"'*'state="partner-down"} 22 1795507500000' ]] ||
  fail "dhcp2: $(series fostat_scope_addresses_free_this dhcp2)"
[[ $(series fostat_scope_expected_share_ratio dhcp2) == *"} 0.05 1795507500000" ]] ||
  fail "expected share of dhcp2"
[[ $(series fostat_scope_severity dhcp2) == *"} 0 1795507500000" ]] || fail "severity of dhcp2"
[[ $(series fostat_scope_sample_timestamp_seconds dhcp2) == *"} 1.7955075e+09 1795507500000" ]] ||
  fail "sample time of dhcp2"
# Prometheus quotes label values as Go does: the odd names came through whole, the byte
# that is not UTF-8 as U+FFFD.
odd='relationship="rel'$'\xef\xbf\xbd''x", scope="10.9.0.0/16", server="we\"ird\\\nname"'
[[ $(grep -cF "$odd" dump.txt) == 11 ]] ||
  fail "the odd server's labels: $(grep 10.9.0.0 dump.txt | head -1)"

# With days of history, the earliest likely exhaustion of each row is a time in seconds
# (status's runs out), left out where none is due within the horizon.
"$collect" --db f.db -q simulate --scopes 3 --days 10 --seed 3 --end 2026-11-24T00:00:00Z
"$query" --db f.db status --format csv >f.csv && rc=0 || rc=$?
"$query" --db f.db status --format openmetrics --timestamps -o f.om && rc2=0 || rc2=$?
((rc2 == rc)) || fail "history: --format openmetrics exits $rc2, csv $rc"
promtool check metrics <f.om || fail "promtool check metrics refuses the exhaustion gauge"
promtool tsdb create-blocks-from openmetrics f.om fblocks >/dev/null ||
  fail "Prometheus' OpenMetrics parser refuses the exhaustion gauge"
mkdir -p fblocks/wal
promtool tsdb dump fblocks >fdump.txt || fail "promtool tsdb dump"
# Each row's earliest_exhaustion (CSV column 19) is the gauge's value, in seconds.
dates=$(tail -n +2 f.csv | cut -d, -f19 | grep -c .)
((dates > 0)) || fail "no row of the history runs out: $(cat f.csv)"
[[ $(grep -c '__name__="fostat_scope_earliest_exhaustion_timestamp_seconds"' fdump.txt) == "$dates" ]] ||
  fail "$dates rows run out, the gauge has: $(grep exhaustion fdump.txt)"
while IFS=, read -r scope server _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ earliest _; do
  [[ -n $earliest ]] || continue
  want=$(date -ud "$earliest" +%s)
  got=$(grep -F '"fostat_scope_earliest_exhaustion_timestamp_seconds"' fdump.txt |
    grep -F "scope=\"$scope\", server=\"$server\"" | awk '{print $(NF-1)}')
  [[ $(awk -v g="$got" 'BEGIN { printf "%d", g }') == "$want" ]] ||
    fail "$scope $server: the gauge says $got, the CSV $earliest ($want)"
done < <(tail -n +2 f.csv)

# Other commands refuse the format; --timestamps needs it.
"$query" --db t.db scopes --format openmetrics 2>err && fail "scopes wrote openmetrics"
[[ $(cat err) == "fostat-query: --format: openmetrics is written by status and samples alone; use table, csv or json" ]] ||
  fail "scopes: $(cat err)"
"$query" --db t.db status --timestamps 2>err && fail "--timestamps without openmetrics"
[[ $(cat err) == "fostat-query: --timestamps: only with --format openmetrics" ]] || fail "$(cat err)"
echo "openmetrics: promtool check metrics and Prometheus' OpenMetrics parser accept the output"

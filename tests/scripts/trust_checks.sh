# Issue 14, item 2, against the clock: a collector that stopped is not OK. A window relative
# to now that holds no sample exits 3, and --stale makes every check at least a warning.
source "$(dirname "$0")/lib.bash" "$1"

# History that ended 2026-11-24: long before now.
"$collect" --db t.db -q simulate --scopes 3 --days 2 --seed 3 --end 2026-11-24T00:00:00Z

for command in status trend check imbalance report; do
  status=0
  err=$("$query" --db t.db $command --since -10m 2>&1 >/dev/null) || status=$?
  [[ $status == 3 ]] || fail "$command --since -10m after the collector stopped: exit $status"
  [[ $err == *"no samples since "*": is the collector running?" ]] || fail "$command: $err"
done

# --stale: each server whose newest sample is older is reported, the exit at least 1; the
# findings of the data that is there still count (check has critical episodes: 2).
for args in "check --severity warning" "imbalance" "trend --scope 10.0.4.0/24"; do
  status=0
  "$query" --db t.db $args >plain.out || status=$?
  plain=$status
  status=0
  "$query" --db t.db $args --stale 1h >stale.out || status=$?
  expected=$((plain > 1 ? plain : 1))
  [[ $status == "$expected" ]] || fail "$args --stale 1h: exit $status, expected $expected"
  for server in dhcp1 dhcp2; do
    grep -q "^stale: $server: newest sample 2026-11-24T00:00:00Z is .* old (more than --stale 1h): is its collector running?" stale.out ||
      fail "$args --stale: $server not reported: $(cat stale.out)"
  done
  # Beside CSV the report goes to standard error, and the CSV stays as it was.
  status=0
  "$query" --db t.db $args --stale 1h --format csv >stale.csv 2>stale.err || status=$?
  [[ $status == "$expected" ]] || fail "$args --stale --format csv: exit $status"
  "$query" --db t.db $args --format csv >plain.csv || true
  cmp plain.csv stale.csv || fail "$args: --stale changed the CSV"
  grep -q "^fostat-query: warning: stale: dhcp2" stale.err || fail "$args: CSV: $(cat stale.err)"
done

# A stale window far enough back is no finding.
status=0
"$query" --db t.db check --severity warning --stale 5200w >/dev/null || status=$?
[[ $status == 2 ]] || fail "check --stale 5200w: exit $status"

# status judges each scope's latest sample.
status=0
out=$("$query" --db t.db status --stale 1h --warning 99 --critical 100) || status=$?
[[ $status == 1 ]] || fail "status --stale: exit $status"
[[ $(grep -c ' stale' <<<"$out") == 6 ]] || fail "status --stale: $out"
echo ok

# The report: --stale names the servers on the page and makes the exit at least 1.
status=0
"$query" --db t.db report --stale 1h -o stale.html || status=$?
((status >= 1 && status <= 2)) || fail "report --stale 1h: exit $status"
[[ $(grep -c '</span> stale</td>' stale.html) == 2 ]] || fail "report --stale: the two servers are not marked stale"

# A site's history backfilled into Debian's Prometheus (2.42): samples --format openmetrics
# writes a simulated site's every sample, `promtool tsdb create-blocks-from openmetrics`
# makes blocks of them, a Prometheus on the loopback (tools/lab/prometheus-server) loads the
# blocks, and its HTTP API answers what fostat stored: every server and scope's number of
# samples over the window, metric by metric, and for a sample of rows and instants the value
# of each counter, the utilization and the expected share. Installs the prometheus package
# when it is missing; skipped (77) only when it cannot be installed.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

need_prometheus "$root"
server=$prometheus_server
trap '"$server" stop "$work/prom"; rm -rf "$work"' EXIT

end=2026-11-24T00:00:00Z
"$collect" --db t.db -q simulate --scopes 4 --days 3 --seed 5 --end "$end"
"$query" --db t.db samples --format openmetrics -o history.om || fail "samples --format openmetrics"
[[ $(tail -n 1 history.om) == "# EOF" ]] || fail "the last line is not # EOF"
promtool tsdb create-blocks-from openmetrics history.om prom/data >promtool.out 2>&1 ||
  fail "promtool refuses the history: $(tail -n 3 promtool.out)"
url=$("$server" start prom) || fail "Prometheus did not start"

# query PROMQL UNIX_TIME: the API's answer (JSON).
query() {
  curl -sf --noproxy '*' --get "$url/api/v1/query" --data-urlencode "query=$1" \
    --data-urlencode "time=$2" || fail "the API refused $1 at $2"
}
"$query" --db t.db samples --format csv --time-format epoch -o rows.csv
last=$(date -ud "$end" +%s)

# Every metric's samples of every server and scope, counted by Prometheus and from the CSV
# (column c of the CSV; 0 the utilization, known where num_addr and addr_in_use are and
# num_addr is not 0; the expected share always).
names=(fostat_scope_addresses fostat_scope_addresses_free fostat_scope_addresses_in_use
  fostat_scope_addresses_free_partner fostat_scope_addresses_free_this
  fostat_scope_addresses_in_use_partner fostat_scope_addresses_in_use_this
  fostat_scope_utilization_ratio fostat_scope_expected_share_ratio)
columns=(5 6 7 8 9 10 11 0 13)
for i in "${!names[@]}"; do
  query "sum by (server, scope) (count_over_time(${names[$i]}[5d]))" $((last + 60)) |
    jq -r '.data.result[] | "\(.metric.server),\(.metric.scope),\(.value[1])"' | sort >prometheus.counts
  tail -n +2 rows.csv | awk -F, -v c="${columns[$i]}" '{
      known = c ? $c != "" : ($5 != "" && $7 != "" && $5 != 0)
      if (known) n[$2 "," $4]++
    } END { for (k in n) print k "," n[k] }' | sort >fostat.counts
  [[ -s fostat.counts ]] || fail "no samples of ${names[$i]} in the CSV"
  diff fostat.counts prometheus.counts >counts.diff ||
    fail "${names[$i]}: sample counts differ (fostat < > Prometheus): $(head -n 5 counts.diff)"
done

# Every 37th row, at its instant: each metric's value, looked up by all five labels.
checked=0
while IFS=, read -r t srv rel scope num free used pfree tfree pused tused mode share state; do
  labels="server=\"$srv\",relationship=\"$rel\",scope=\"$scope\",mode=\"$mode\",state=\"$state\""
  values=("$num" "$free" "$used" "$pfree" "$tfree" "$pused" "$tused")
  for i in {0..6}; do
    got=$(query "${names[$i]}{$labels}" "$t" | jq -r '[.data.result[] | .value[1]] | join(" ")')
    [[ $got == "${values[$i]}" ]] ||
      fail "${names[$i]}{$labels} at $t: Prometheus has '$got', fostat '${values[$i]}'"
  done
  got=$(query "fostat_scope_utilization_ratio{$labels}" "$t" | jq -r '.data.result[0].value[1] // ""')
  awk -v g="$got" -v n="$num" -v u="$used" 'BEGIN {
      if (n == "" || u == "" || n == 0) exit g != ""
      d = g - u / n; exit (d > 1e-12 || d < -1e-12) }' ||
    fail "utilization of $labels at $t: Prometheus has '$got', fostat $used / $num"
  got=$(query "fostat_scope_expected_share_ratio{$labels}" "$t" | jq -r '.data.result[0].value[1] // ""')
  awk -v g="$got" -v s="$share" 'BEGIN { d = g - s / 100; exit (g == "" || d > 1e-12 || d < -1e-12) }' ||
    fail "expected share of $labels at $t: Prometheus has '$got', fostat $share %"
  checked=$((checked + 1))
done < <(tail -n +2 rows.csv | awk 'NR % 37 == 1')
((checked > 100)) || fail "only $checked rows checked"

# The same history's window and filters apply; --lease-states is not for this format.
"$query" --db t.db samples --format openmetrics --server dhcp1 --since 2026-11-23T23:00:00Z -o part.om
grep -q 'server="dhcp2"' part.om && fail "--server dhcp1 wrote dhcp2's samples"
[[ $(grep -c '^fostat_scope_addresses{' part.om) == $((4 * 13)) ]] ||
  fail "4 scopes x 13 samples expected in the last hour: $(grep -c '^fostat_scope_addresses{' part.om)"
"$query" --db t.db samples --format openmetrics --lease-states 2>err && fail "--lease-states accepted"
[[ $(cat err) == "fostat-query: --lease-states: not with --format openmetrics" ]] || fail "$(cat err)"
echo "prometheus_backfill: $checked rows' values and every series' sample count as fostat stored them"

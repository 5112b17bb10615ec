# fostat-collect --remote-write against Debian's Prometheus (2.42) started with
# --web.enable-remote-write-receiver on the loopback (tools/lab/prometheus-server): a
# collector every 2 s pushes each run; the receiver is stopped for several runs, whose pushes
# fail (reported on stderr, counted in the runs table, the runs stored all the same), and
# started again; the next run sends the backlog. Then Prometheus holds every stored sample of
# every series once: per series the same number of samples and the same sum of values as
# fostat stored, for each counter. Also: a receiver over TLS with basic authentication
# (Prometheus' --web.config.file), the CA verified; bad options refused before a run; every
# PromQL expression of the Grafana dashboard (dist/grafana/fostat.json) returns data.
# Installs the prometheus package when it is missing; skipped (77) only when it cannot be.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"

need_prometheus "$root"
server=$prometheus_server
collector=
cleanup() {
  [[ -z $collector ]] || kill "$collector" 2>/dev/null || true
  "$server" stop "$work/prom"
  "$server" stop "$work/tls"
  rm -rf "$work"
}
trap cleanup EXIT

url=$("$server" start prom --web.enable-remote-write-receiver) || fail "Prometheus did not start"
# runs_where SQL: how many runs match.
runs_where() { sqlite3 t.db "SELECT count(*) FROM runs WHERE $1" 2>/dev/null || echo 0; }
# wait_for N SQL: waits up to 60 s until N runs match.
wait_for() {
  for _ in $(seq 300); do
    (($(runs_where "$2") >= $1)) && return 0
    sleep 0.2
  done
  fail "no $1 runs with $2 in 60 s: $(sqlite3 t.db 'SELECT * FROM runs' 2>&1 | tail -n 5); $(tail -n 3 collect.err)"
}

"$collect" --db t.db simulate --scopes 3 --every 2s --remote-write "$url/api/v1/write" \
  --remote-write-timeout 2s --remote-write-retries 1 --remote-write-max-time 4s \
  >collect.out 2>collect.err &
collector=$!
wait_for 3 "pushed > 0"
"$server" stop prom
wait_for 3 "push_failures > 0"
url2=$("$server" start prom --web.enable-remote-write-receiver) || fail "Prometheus did not start again"
[[ $url2 == "$url" ]] || fail "Prometheus came back at $url2, not $url"
failed=$(runs_where "push_failures > 0")
wait_for $((failed + 1)) "id > (SELECT max(id) FROM runs WHERE push_failures > 0) AND pushed > 0 AND push_failures = 0"
kill -TERM "$collector"
wait "$collector" && rc=0 || rc=$?
collector=
((rc == 0)) || fail "the collector exited $rc: $(tail -n 3 collect.err)"

# What the failed pushes said, and that the runs were stored all the same.
grep -q "remote write to $url/api/v1/write: connection refused" collect.err ||
  fail "no 'connection refused' on stderr: $(head -n 3 collect.err)"
[[ $(runs_where "status != 'ok'") == 0 ]] || fail "a run failed: $(sqlite3 t.db "SELECT * FROM runs WHERE status != 'ok'")"
[[ -z $(sqlite3 t.db 'SELECT server FROM remote_write WHERE unsent_from IS NOT NULL') ]] ||
  fail "samples still wait: $(sqlite3 t.db 'SELECT * FROM remote_write')"
backlog=$(sqlite3 t.db 'SELECT max(pushed) FROM runs')
((backlog > 54)) || fail "no run sent a backlog (largest push $backlog metric samples, one run's is 54)"

# A sample sent again at the time of a series' newest in Prometheus (where a push that
# stopped between two requests of one instant starts again) is taken as the same sample, not
# refused: each server's marks set back to its newest sent, and one more run pushes.
sqlite3 t.db 'UPDATE remote_write SET unsent_from = sent_through'
sleep 2.1 # a tick of --every 2s after the collector's last: the run brings new samples
timeout 3 "$collect" --db t.db simulate --scopes 3 --every 2s --remote-write "$url/api/v1/write" \
  --remote-write-retries 0 >resend.out 2>resend.err && rc=0 || rc=$?
((rc == 0 || rc == 124)) || fail "the run that sends again exited $rc: $(cat resend.err)"
[[ ! -s resend.err ]] || fail "sending the newest samples again: $(cat resend.err)"
grep -q '^run [0-9]*: 108 metric samples pushed' <(sed -n 2p resend.out) ||
  fail "the first run after the reset should send the newest and its own (108): $(cat resend.out)"
[[ -z $(sqlite3 t.db 'SELECT server FROM remote_write WHERE unsent_from IS NOT NULL') ]] ||
  fail "after sending again, samples still wait"

# Every stored sample once in Prometheus: per series and counter, the count and the sum.
"$query" --db t.db samples --format csv --time-format epoch -o rows.csv
first=$(tail -n +2 rows.csv | cut -d, -f1 | sort -n | head -n 1)
last=$(tail -n +2 rows.csv | cut -d, -f1 | sort -n | tail -n 1)
range=$((last - first + 60))
names=(fostat_scope_addresses fostat_scope_addresses_free fostat_scope_addresses_in_use
  fostat_scope_addresses_free_partner fostat_scope_addresses_free_this
  fostat_scope_addresses_in_use_partner fostat_scope_addresses_in_use_this)
for i in "${!names[@]}"; do
  col=$((i + 5))
  tail -n +2 rows.csv | awk -F, -v c=$col '$c != "" { n[$2 "," $4]++; s[$2 "," $4] += $c }
    END { for (k in n) print k "," n[k] "," s[k] }' | sort >fostat.txt
  for f in count sum; do
    curl -sf --noproxy '*' --get "$url/api/v1/query" \
      --data-urlencode "query=sum by (server, scope) (${f}_over_time(${names[$i]}[${range}s]))" \
      --data-urlencode "time=$((last + 1))" |
      jq -r '.data.result[] | "\(.metric.server),\(.metric.scope),\(.value[1])"' | sort >"prom.$f"
  done
  join -t, -j1 <(sed 's/,/;/' prom.count | sort) <(sed 's/,/;/' prom.sum | sort) | sed 's/;/,/' |
    sort >prometheus.txt
  [[ -s fostat.txt ]] || fail "no stored samples of ${names[$i]}"
  diff fostat.txt prometheus.txt >diff.txt ||
    fail "${names[$i]}: series, count, sum differ (fostat < > Prometheus): $(head -n 6 diff.txt)"
done
stored=$(($(wc -l <rows.csv) - 1))

# The Grafana dashboard (dist/grafana/fostat.json) over what was pushed: every PromQL
# expression of its panels, the variables $server, $relationship and $scope at All (.*),
# answers with data, at the last sample's instant and over the minutes before it; every
# variable's label_values() finds values.
dashboard="$root/dist/grafana/fostat.json"
jq -e '.panels | length > 5' "$dashboard" >/dev/null || fail "$dashboard: no panels"
exprs=0
while IFS= read -r expr; do
  promql=$(sed 's/\$server/.*/g; s/\$relationship/.*/g; s/\$scope/.*/g' <<<"$expr")
  [[ $promql != *'$'* ]] || fail "a variable the test does not know in: $expr"
  answer=$(curl -sf --noproxy '*' --get "$url/api/v1/query" --data-urlencode "query=$promql" \
    --data-urlencode "time=$((last + 1))") || fail "Prometheus refuses the dashboard's $promql"
  [[ $(jq '.data.result | length' <<<"$answer") -gt 0 ]] || fail "no data at $((last + 1)) for: $promql"
  answer=$(curl -sf --noproxy '*' --get "$url/api/v1/query_range" --data-urlencode "query=$promql" \
    --data-urlencode "start=$first" --data-urlencode "end=$((last + 1))" --data-urlencode step=2) ||
    fail "Prometheus refuses the dashboard's $promql over a range"
  [[ $(jq '.data.result | length' <<<"$answer") -gt 0 ]] || fail "no data over the run's time for: $promql"
  exprs=$((exprs + 1))
done < <(jq -r '.panels[].targets[].expr' "$dashboard")
((exprs >= 9)) || fail "only $exprs expressions in the dashboard"
while IFS= read -r definition; do
  # label_values(SELECTOR, LABEL)
  [[ $definition =~ ^label_values\((.*),\ *([a-z_]+)\)$ ]] || fail "not label_values(): $definition"
  selector=$(sed 's/\$server/.*/g; s/\$relationship/.*/g' <<<"${BASH_REMATCH[1]}")
  values=$(curl -sf --noproxy '*' --get "$url/api/v1/label/${BASH_REMATCH[2]}/values" \
    --data-urlencode "match[]=$selector" | jq '.data | length') || fail "label values of $definition"
  ((values > 0)) || fail "the variable $definition finds no values"
done < <(jq -r '.templating.list[] | select(.type == "query") | .definition' "$dashboard")

# Over TLS with basic authentication: Prometheus' web configuration, a CA of the test's own.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=fostat-test-ca -keyout ca.key \
  -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile san.ext -out server.pem 2>/dev/null
hash=$(python3 -c 'import crypt; print(crypt.crypt("s3cret pass", crypt.mksalt(crypt.METHOD_BLOWFISH)))' 2>/dev/null) ||
  fail "python3 cannot make a bcrypt hash"
mkdir -p tls
printf 'tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  fostat: %s\n' \
  "$work/server.pem" "$work/server.key" "$hash" >tls/web.yml
tls_url=$("$server" start tls --web.enable-remote-write-receiver --web.config.file="$work/tls/web.yml")/api/v1/write ||
  fail "Prometheus with TLS did not start"
printf 'fostat:s3cret pass\n' >auth && chmod 600 auth
# rows N: a CSV of two servers' two scopes at a time N minutes ago (4 samples, 36 metric samples).
rows() {
  local t
  t=$(date -u -d "@$(($(date +%s) - 60 * $1))" +%Y-%m-%dT%H:%M:%SZ)
  echo 'timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,this_addr_free,partner_addr_in_use,this_addr_in_use,mode,expected_share,state'
  for srv in dhcp1 dhcp2; do
    for scope in 10.1.0.0/24 10.2.0.0/24; do
      echo "$t,$srv,pair,$scope,254,54,200,27,27,100,100,load-balance,50,normal"
    done
  done
}
rows 9 >run1.csv && rows 8 >run2.csv && rows 7 >run3.csv && rows 6 >run4.csv
"$collect" --db tls.db import run1.csv --remote-write "$tls_url" --remote-write-ca ca.pem \
  --remote-write-auth-file auth >tls.out 2>tls.err || fail "push over TLS: $(cat tls.err)"
[[ ! -s tls.err ]] || fail "push over TLS said: $(cat tls.err)"
grep -q "36 metric samples pushed to $tls_url (" tls.out || fail "over TLS: $(cat tls.out)"
# Without the CA, the certificate is not trusted; with a wrong password, 401: each reported,
# the run stored, its samples left for the next run.
"$collect" --db tls.db import run2.csv --remote-write "$tls_url" --remote-write-auth-file auth \
  --remote-write-retries 0 >/dev/null 2>err || fail "an untrusted receiver failed the run"
grep -q "TLS: the server's certificate is not trusted by the system's CAs" err || fail "$(cat err)"
printf 'fostat:wrong\n' >bad && chmod 600 bad
"$collect" --db tls.db import run3.csv --remote-write "$tls_url" --remote-write-ca ca.pem \
  --remote-write-auth-file bad --remote-write-retries 0 >/dev/null 2>err || fail "401 failed the run"
grep -q "HTTP 401 Unauthorized" err || fail "$(cat err)"
[[ $(sqlite3 tls.db "SELECT count(*) FROM remote_write WHERE unsent_from IS NOT NULL") == 2 ]] ||
  fail "after failed pushes both servers' samples should wait: $(sqlite3 tls.db 'SELECT * FROM remote_write')"
"$collect" --db tls.db -q import run4.csv --remote-write "$tls_url" --remote-write-ca ca.pem \
  --remote-write-auth-file auth 2>err || fail "$(cat err)"
[[ -z $(sqlite3 tls.db "SELECT * FROM remote_write WHERE unsent_from IS NOT NULL") ]] ||
  fail "the backlog over TLS was not sent: $(cat err)"
[[ $(sqlite3 tls.db "SELECT pushed FROM runs ORDER BY id DESC LIMIT 1") == $((3 * 36)) ]] ||
  fail "the last run should send three runs' samples: $(sqlite3 tls.db 'SELECT * FROM runs')"

# Refused before any run: a bad URL, an option without --remote-write, a world-readable secret.
"$collect" --db x.db simulate --remote-write ftp://example.invalid/ 2>err && fail "ftp URL accepted"
[[ $(cat err) == "fostat-collect: --remote-write: URL 'ftp://example.invalid/': not an http:// or https:// URL" ]] || fail "$(cat err)"
"$collect" --db x.db simulate --remote-write-ca ca.pem 2>err && fail "--remote-write-ca alone accepted"
[[ $(cat err) == "fostat-collect: --remote-write-ca: only with --remote-write URL" ]] || fail "$(cat err)"
chmod 644 auth
"$collect" --db x.db simulate --remote-write "$tls_url" --remote-write-auth-file auth 2>err && fail "world-readable auth file accepted"
grep -q "every user of this machine can read it" err || fail "$(cat err)"
[[ ! -e x.db ]] || fail "a refused command created its database"
echo "prometheus_remote_write: $stored samples, each once in Prometheus after an outage; backlog $backlog metric samples in one run; the dashboard's $exprs expressions answer; TLS and basic auth"

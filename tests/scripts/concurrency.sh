# Collectors and queries on one database at once (issue 9). First, collectors that create it
# together; then 3 import loops (servers srv1 to srv3, a new file each time) and a simulate
# --every 1s collector write while 2 query loops read, for 20 s, starting from no database
# at all. Every run must succeed (writers wait on the busy timeout), every run's samples must
# all be stored, and no query may see part of a run: a query's CSV holds, for every server
# and time, all of that server's scopes or none, and for the import servers whole files only.
source "$(dirname "$0")/lib.bash" "$1"

duration=20
scopes=40   # per import file
times=48    # per import file: 4 hours at 5 minutes
per_file=$((scopes * times))
header=timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,this_addr_free,partner_addr_in_use,this_addr_in_use

days=()
for k in $(seq 0 199); do days+=("$(date -u -d "2026-01-01 +$k day" +%F)"); done

# File $2 of server $1: 4 hours of its own, never overlapping another file of the server.
make_file() {
  local day=${days[$(($2 / 6))]} hour=$((($2 % 6) * 4))
  awk -v srv="$1" -v day="$day" -v hour="$hour" -v scopes="$scopes" -v times="$times" -v header="$header" '
    BEGIN {
      print header
      for (t = 0; t < times; t++) {
        m = t * 5; ts = sprintf("%sT%02d:%02d:00Z", day, hour + int(m / 60), m % 60)
        for (s = 0; s < scopes; s++) {
          use = (t * 7 + s * 13) % 200; free = 254 - use; pf = int(free / 2); pu = int(use / 2)
          printf "%s,%s,%s-peer,10.%d.%d.0/24,254,%d,%d,%d,%d,%d,%d\n", ts, srv, srv, int(s / 256), s % 256, free, use, pf, free - pf, pu, use - pu
        }
      }
    }'
}

import_loop() {
  local srv=$1 i=0
  while ((SECONDS < end && i < 6 * ${#days[@]})); do
    make_file "$srv" "$i" >"$srv-$i.csv"
    if ! "$collect" --db t.db -q import "$srv-$i.csv" 2>>"$srv.err"; then
      echo "import $srv-$i.csv failed" >>"$srv.err"
    fi
    rm -f "$srv-$i.csv"
    i=$((i + 1))
  done
  echo "$i" >"$srv.count"
}

# Checks one query's CSV: per server and time, all scopes; per import server, whole files.
check_csv() {
  awk -F, -v scopes="$scopes" -v per_file="$per_file" '
    NR > 1 { n[$2 "," $1]++; total[$2]++; sc[$2 "," $4] = 1 }
    END {
      for (k in sc) { split(k, p, ","); nscopes[p[1]]++ }
      for (k in n) {
        split(k, p, ","); want = (p[1] ~ /^srv/) ? scopes : nscopes[p[1]]
        if (n[k] != want) { print "server and time " k ": " n[k] " samples of " want; bad = 1 }
      }
      for (s in total) if (s ~ /^srv/ && total[s] % per_file != 0) {
        print s ": " total[s] " samples, not a whole number of files of " per_file; bad = 1
      }
      exit bad
    }' "$1"
}

query_loop() {
  local k=$1 n=0 seen=0
  # Until the first run commits the database is missing or has no schema yet, and a query
  # rightly refuses it.
  until "$query" --db t.db scopes >/dev/null 2>&1; do sleep 0.1; done
  while ((SECONDS < end)); do
    if "$query" --db t.db samples --format csv -o "q$k.csv" 2>>"q$k.err"; then
      check_csv "q$k.csv" >>"q$k.err" || { cp "q$k.csv" "q$k-bad-$n.csv"; echo "query $n saw a partial run" >>"q$k.err"; }
      seen=$((seen + $(wc -l <"q$k.csv") - 1))
      n=$((n + 1))
    fi
    # check walks its scopes on several threads, each on its own connection, while runs
    # commit: it must still answer (0, 1 or 2: the imports' days leave gaps), never fail.
    local status=0
    "$query" --db t.db check -o "q$k-check.txt" 2>>"q$k.err" || status=$?
    ((status <= 2)) || echo "check exited $status" >>"q$k.err"
  done
  echo "$n $seen" >"q$k.count"
}

# Four collectors that create one database at the same moment all succeed: the schema and
# the switch to WAL wait for each other (the switch fails at once in SQLite, and a version
# read apart from the tables looked like another program's database). 50 rounds.
{ echo "$header"; echo "2026-01-01T00:00:00Z,srv,srv-peer,10.0.0.0/24,254,200,54,100,100,27,27"; } >one.csv
for round in $(seq 1 50); do
  rm -f start.db*
  starters=()
  "$collect" --db start.db -q simulate --scopes 2 --days 1 2>"start-sim.err" & starters+=($!)
  for k in 1 2 3; do
    sed "s/,srv,srv-peer,/,srv$k,srv$k-peer,/" one.csv >"one$k.csv"
    "$collect" --db start.db -q import "one$k.csv" 2>"start-$k.err" & starters+=($!)
  done
  for pid in "${starters[@]}"; do
    wait "$pid" || fail "round $round: a collector starting a new database failed: $(cat start-*.err)"
  done
done
echo "ok: 50 rounds of 4 collectors creating one database at once"

end=$((SECONDS + duration))
"$collect" --db t.db -q simulate --scopes 3 --every 1s 2>sim.err &
sim=$!
pids=()
for srv in srv1 srv2 srv3; do import_loop "$srv" & pids+=($!); done
for k in 1 2; do query_loop "$k" & pids+=($!); done
wait "${pids[@]}"
status=0
if ! kill -TERM "$sim" 2>/dev/null; then
  wait "$sim" || status=$?
  fail "simulate --every ended by itself before it was stopped, status $status: $(cat sim.err)"
fi
wait "$sim" || status=$?

for f in srv1.err srv2.err srv3.err sim.err q1.err q2.err; do
  [[ ! -s $f ]] || fail "$f: $(head -n 5 "$f")"
done
[[ $status == 0 ]] || fail "simulate --every exited with status $status"
[[ $(integrity t.db) == ok ]] || fail "integrity_check: $(integrity t.db)"

imports=$(($(cat srv1.count) + $(cat srv2.count) + $(cat srv3.count)))
read -r runs ok import_ok import_rows sim_ok sim_rows < <(sqlite3 -separator ' ' t.db "
  SELECT count(*), sum(status = 'ok'),
         sum(source = 'import' AND status = 'ok'), sum(CASE WHEN source = 'import' THEN rows END),
         sum(source = 'simulate' AND status = 'ok'), sum(CASE WHEN source = 'simulate' THEN rows END)
  FROM runs")
[[ $runs == "$ok" ]] || fail "$((runs - ok)) of $runs runs are not ok: $(sqlite3 t.db "SELECT * FROM runs WHERE status <> 'ok' LIMIT 3")"
[[ $import_ok == "$imports" ]] || fail "$import_ok import runs stored, $imports imports made"
bad_rows=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE (source = 'import' AND rows <> $per_file) OR (source = 'simulate' AND rows <> 6)")
[[ $bad_rows == 0 ]] || fail "$bad_rows runs did not store all their samples"
[[ $(stored t.db) == $((import_rows + sim_rows)) ]] || fail "$(stored t.db) samples stored, runs say $((import_rows + sim_rows))"
((sim_ok >= duration / 2)) || fail "only $sim_ok simulate ticks in ${duration}s of --every 1s"
"$query" --db t.db samples --format csv -o final.csv
check_csv final.csv || fail "the final database holds a partial run"
read -r q1 s1 <q1.count
read -r q2 s2 <q2.count
((q1 >= 5 && q2 >= 5)) || fail "only $q1 and $q2 queries ran"
echo "ok: $imports imports of $per_file samples and $sim_ok simulate ticks in ${duration}s; $((q1 + q2)) queries read $((s1 + s2)) samples, none saw a partial run"

# SIGKILL the collector at several moments of a large import: every time the database passes
# PRAGMA integrity_check and holds either all or none of that run.
source "$(dirname "$0")/lib.bash" "$1"

"$collect" --db base.db -q simulate --scopes 4 --days 3 --end 2026-10-01T00:00:00Z
base=$(stored base.db)
"$collect" --db big.db -q simulate --scopes 100 --days 20 --end 2026-11-24T00:00:00Z
"$query" --db big.db samples --format csv -o big.csv
big=$(($(wc -l <big.csv) - 1))

none=0 all=0
for delay in 0.02 0.05 0.1 0.2 0.3 0.5 0.7 1.0 1.5 2.0 3.0 5.0; do
  cp base.db t.db
  "$collect" --db t.db -q import big.csv &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [[ $(integrity t.db) == ok ]] || fail "integrity_check after a kill at ${delay}s: $(integrity t.db)"
  n=$(stored t.db)
  running=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE status = 'running'")
  [[ $running == 0 ]] || fail "a run row says running after a kill at ${delay}s"
  if [[ $n == "$base" ]]; then
    none=$((none + 1))
  elif [[ $n == $((base + big)) ]]; then
    all=$((all + 1))
    "$query" --db t.db samples --format csv --since 2026-11-01 -o back.csv
    cmp -s big.csv back.csv || fail "a completed import differs from its input (kill at ${delay}s)"
  else
    fail "after a kill at ${delay}s the database holds $n samples: neither $base nor $((base + big))"
  fi
  rm -f t.db t.db-wal t.db-shm
done
echo "kills: $none left nothing of the run, $all came after it completed (of $big samples)"
((none >= 3)) || fail "only $none kills landed during the import; the test did not test"

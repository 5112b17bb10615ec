# SIGKILL a collector at 120 random moments: 60 during an import of 170,000 samples, 20
# during a delete --yes of a day of one server's samples, 40 during simulate --every 1s ticks
# of 8,000 samples. Every time the database passes PRAGMA
# integrity_check, no run row says running, and every run is there wholly (its row ok and all
# its samples) or not at all (no row, no samples). FOSTAT_SEED=N replays a failure's moments.
source "$(dirname "$0")/lib.bash" "$1"

seed=${FOSTAT_SEED:-$(($(date +%s) % 32768))}
RANDOM=$seed
echo "seed $seed (FOSTAT_SEED=$seed replays these moments)"

"$collect" --db base.db -q simulate --scopes 4 --days 3 --end 2026-10-01T00:00:00Z
base=$(stored base.db)
base_runs=$(sqlite3 base.db 'SELECT count(*) FROM runs')
"$collect" --db big.db -q simulate --scopes 100 --days 3 --end 2026-11-24T00:00:00Z
"$query" --db big.db samples --format csv -o big.csv
big=$(($(wc -l <big.csv) - 1))

# How long an import takes here: the kills land between 0 and 1.3 times that.
cp base.db t.db
start=$(date +%s%N)
"$collect" --db t.db -q import big.csv
import_ms=$((($(date +%s%N) - start) / 1000000))
rm -f t.db t.db-wal t.db-shm

# $1: what was killed, for messages. Checks what every kill must leave.
check_common() {
  [[ $(integrity t.db) == ok ]] || fail "$1: integrity_check: $(integrity t.db)"
  local running
  running=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE status = 'running'")
  [[ $running == 0 ]] || fail "$1: a run row says running"
}

moment() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

none=0 all=0
for i in $(seq 1 60); do
  ms=$((RANDOM % (import_ms * 13 / 10 + 1)))
  what="import killed at $(moment "$ms") s (kill $i)"
  cp base.db t.db
  "$collect" --db t.db -q import big.csv &
  pid=$!
  sleep "$(moment "$ms")"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_common "$what"
  n=$(stored t.db)
  runs=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE id > $base_runs")
  if [[ $n == "$base" ]]; then
    [[ $runs == 0 ]] || fail "$what: no samples, but a run row: $(sqlite3 t.db "SELECT * FROM runs WHERE id > $base_runs")"
    none=$((none + 1))
  elif [[ $n == $((base + big)) ]]; then
    ok_rows=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE id > $base_runs AND status = 'ok' AND rows = $big")
    [[ $runs == 1 && $ok_rows == 1 ]] || fail "$what: all samples stored, but not one ok run of $big rows"
    all=$((all + 1))
    if ((all == 1)); then
      "$query" --db t.db samples --format csv --since 2026-11-01 -o back.csv
      cmp -s big.csv back.csv || fail "$what: a completed import differs from its input"
    fi
  else
    fail "$what: the database holds $n samples: neither $base nor $((base + big))"
  fi
  rm -f t.db t.db-wal t.db-shm
done
echo "imports ($import_ms ms each): $none kills left nothing of the run, $all came after it completed (of $big samples)"
((none >= 5)) || fail "only $none kills landed during the import; the test did not test"

# delete --yes killed at 20 random moments: it removes all it was asked to (one ok run of
# that many rows) or nothing (no run row), never part of it.
del=(delete --server dhcp1 --since 2026-11-22T12:00:00Z --until 2026-11-23T12:00:00Z --yes)
cp big.db t.db
start=$(date +%s%N)
"$collect" --db t.db -q "${del[@]}"
delete_ms=$((($(date +%s%N) - start) / 1000000))
removed=$((big - $(stored t.db)))
((removed > 0)) || fail "delete removed nothing"
big_runs=$(sqlite3 big.db 'SELECT count(*) FROM runs')
none=0 all=0
for i in $(seq 1 20); do
  ms=$((RANDOM % (delete_ms * 13 / 10 + 1)))
  what="delete killed at $(moment "$ms") s (kill $i)"
  cp big.db t.db
  rm -f t.db-wal t.db-shm
  "$collect" --db t.db -q "${del[@]}" &
  pid=$!
  sleep "$(moment "$ms")"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_common "$what"
  n=$(stored t.db)
  runs=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE id > $big_runs")
  if [[ $n == "$big" ]]; then
    [[ $runs == 0 ]] || fail "$what: nothing removed, but a run row"
    none=$((none + 1))
  elif [[ $n == $((big - removed)) ]]; then
    ok_rows=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE id > $big_runs AND source = 'delete' AND status = 'ok' AND rows = $removed")
    [[ $runs == 1 && $ok_rows == 1 ]] || fail "$what: all removed, but not one ok run of $removed rows"
    all=$((all + 1))
  else
    fail "$what: the database holds $n samples: neither $big nor $((big - removed))"
  fi
  rm -f t.db t.db-wal t.db-shm
done
echo "deletes ($delete_ms ms each): $none kills left everything, $all came after it completed (of $removed samples)"
((none >= 3)) || fail "only $none kills landed during the delete; the test did not test"

ticks=0 empty=0
per_tick=8000
for i in $(seq 1 40); do
  # Every fourth kill within the first 40 ms, before the first tick (about 100 ms here) can
  # have been stored, so that some kills always land there however fast the machine is.
  if ((i % 4 == 0)); then ms=$((RANDOM % 40)); else ms=$((RANDOM % 2000)); fi
  what="simulate --every 1s killed at $(moment "$ms") s (kill $i)"
  cp base.db t.db
  "$collect" --db t.db -q simulate --scopes $((per_tick / 2)) --every 1s &
  pid=$!
  sleep "$(moment "$ms")"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_common "$what"
  read -r runs ok whole < <(sqlite3 -separator ' ' t.db "SELECT count(*), coalesce(sum(status = 'ok'), 0), coalesce(sum(status = 'ok' AND rows = $per_tick), 0) FROM runs WHERE id > $base_runs")
  [[ $runs == "$ok" && $ok == "$whole" ]] || fail "$what: runs not ok or not whole: $(sqlite3 t.db "SELECT * FROM runs WHERE id > $base_runs")"
  n=$(stored t.db)
  [[ $n == $((base + ok * per_tick)) ]] || fail "$what: $n samples stored, $ok ticks of $per_tick on $base"
  ticks=$((ticks + ok))
  ((ok > 0)) || empty=$((empty + 1))
  rm -f t.db t.db-wal t.db-shm
done
echo "--every: $ticks ticks stored whole; $empty kills came before the first tick was stored"
((empty >= 3)) || fail "only $empty kills landed before the first tick was stored; the test did not test"
((ticks >= 3)) || fail "only $ticks ticks were stored before the kills; the test did not test"

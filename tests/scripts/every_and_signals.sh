# --every collects once per tick until SIGTERM, SIGINT or SIGHUP, which end it cleanly
# (status 0, every run complete).
source "$(dirname "$0")/lib.bash" "$1"

for signal in TERM INT HUP; do
  rm -f t.db*
  "$collect" --db t.db -q simulate --scopes 3 --every 1s &
  pid=$!
  sleep 3.5
  kill -s "$signal" "$pid"
  status=0
  wait "$pid" || status=$?
  [[ $status == 0 ]] || fail "SIG$signal: exit status $status"
  runs=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE status = 'ok'")
  other=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE status <> 'ok'")
  ((runs >= 3)) || fail "SIG$signal: only $runs runs in 3.5 s of --every 1s"
  [[ $other == 0 ]] || fail "SIG$signal: $other runs are not ok"
  [[ $(stored t.db) == $((runs * 6)) ]] || fail "SIG$signal: $(stored t.db) samples for $runs runs of 6"
  [[ $(integrity t.db) == ok ]] || fail "integrity"
done
echo "ok"

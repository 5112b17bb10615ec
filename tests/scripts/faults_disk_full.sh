# A full disk (issue 9): the database on a 2 MiB tmpfs, mounted in a mount namespace of our
# own so that nothing leaks to the host (needs root; 77 = skipped). An import too large for
# it fails with exit status 3 and one line naming the file; the database still opens and
# holds everything committed before, and the next run that fits succeeds.
source "$(dirname "$0")/lib.bash" "$1"

if [[ $(id -u) != 0 ]] || ! unshare -m true 2>/dev/null; then
  echo "skipped: needs root and unshare -m"
  exit 77
fi

"$collect" --db src.db -q simulate --scopes 100 --days 10 --end 2026-11-24T00:00:00Z
"$query" --db src.db samples --format csv -o big.csv
"$collect" --db src.db -q simulate --scopes 2 --days 1 --end 2026-11-25T00:00:00Z
"$query" --db src.db samples --format csv --since 2026-11-24T00:00:00Z -o small.csv

mkdir full
export collect query stored_sql
unshare -m bash -euo pipefail -c '
  mount -t tmpfs -o size=2m fostat-full full
  "$collect" --db full/t.db -q simulate --scopes 4 --days 2 --end 2026-10-01T00:00:00Z
  "$query" --db full/t.db samples --format csv -o before.csv
  sqlite3 full/t.db "$stored_sql" >before.count
  status=0
  "$collect" --db full/t.db -q import big.csv 2>err.txt >/dev/null || status=$?
  echo "$status" >status.txt
  df -k full | tail -n 1 >df.txt
  sqlite3 full/t.db "PRAGMA integrity_check" >integrity.txt
  sqlite3 full/t.db "$stored_sql" >after.count
  sqlite3 full/t.db "SELECT status || \" \" || rows FROM runs ORDER BY id" >runs.txt
  "$query" --db full/t.db samples --format csv -o after.csv
  "$collect" --db full/t.db -q import small.csv 2>next.err || echo "the next run failed: $(cat next.err)" >>next.err
  sqlite3 full/t.db "$stored_sql" >next.count
'
grep -q fostat-full /proc/mounts && fail "the tmpfs leaked out of the mount namespace"

echo "disk full -> $(cat err.txt) (df: $(cat df.txt))"
[[ $(cat status.txt) == 3 ]] || fail "exit status $(cat status.txt), expected 3"
[[ $(wc -l <err.txt) == 1 ]] || fail "stderr is not one line: $(cat err.txt)"
grep -Eq '^fostat-collect: full/t\.db: database or disk is full \(its file system is full' err.txt ||
  fail "the message does not name the file and the full disk: $(cat err.txt)"
[[ $(cat integrity.txt) == ok ]] || fail "integrity_check: $(cat integrity.txt)"
[[ $(cat after.count) == "$(cat before.count)" ]] || fail "$(cat after.count) samples stored after, $(cat before.count) before"
cmp -s before.csv after.csv || fail "the samples committed before changed"
[[ $(cat runs.txt) == $'ok '"$(cat before.count)"$'\nfailed 0' ]] || fail "runs: $(cat runs.txt)"
[[ ! -s next.err ]] || fail "$(cat next.err)"
small=$(($(wc -l <small.csv) - 1))
[[ $(cat next.count) == $(($(cat before.count) + small)) ]] || fail "the next run stored $(cat next.count) samples in all"
echo "ok: $(cat before.count) samples kept, the next run added $small"

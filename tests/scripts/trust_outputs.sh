# Issue 14, item 1: no output destroys anything. Every file either program writes goes to a
# temporary file renamed over the target only when the command succeeds; the database and
# its -wal, -shm and -journal files, through any symlink, and directories are refused before
# anything is opened.
source "$(dirname "$0")/lib.bash" "$1"

"$collect" --db site.db -q simulate --scopes 3 --days 2 --seed 5 --end 2026-11-24T00:00:00Z
sqlite3 site.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
before=$(sha256sum site.db)
stored_before=$(stored site.db)
ln -s site.db link.csv
ln -s site.db-wal wal-link.csv
mkdir outdir

# refused ARGS...: exit 3, one line naming both paths, the database untouched.
refused() {
  local status=0 err
  err=$("$@" 2>&1 >/dev/null) || status=$?
  [[ $status == 3 ]] || fail "$*: exit $status, expected 3"
  [[ $(wc -l <<<"$err") == 1 ]] || fail "$*: more than one line: $err"
  [[ $err == *site.db* ]] || fail "$*: the message does not name the database: $err"
  [[ $(sha256sum site.db) == "$before" ]] || fail "$*: the database changed"
  [[ $(stored site.db) == "$stored_before" ]] || fail "$*: samples lost"
}

for target in site.db link.csv site.db-wal site.db-shm site.db-journal wal-link.csv "$PWD/site.db" ./outdir/../site.db; do
  refused "$query" --db site.db samples -o "$target"
  refused "$query" --db site.db scopes -o "$target"
  refused "$query" --db site.db status -o "$target"
  refused "$query" --db site.db trend -o "$target"
  refused "$query" --db site.db check -o "$target"
  refused "$query" --db site.db imbalance -o "$target"
  refused "$query" --db site.db plot --scope 10.0.0.0/24 -o "$target"
  refused "$query" --db site.db report -o "$target"
  refused "$collect" --db site.db simulate --scopes 1 --days 1 --truth "$target"
done
status=0
err=$("$query" --db site.db samples -o outdir 2>&1) || status=$?
[[ $status == 3 && $err == *"outdir: is a directory"* ]] || fail "-o a directory: $status $err"
[[ $(integrity site.db) == ok ]] || fail "integrity after the refusals"

# A command that fails after its output was opened leaves the file as it was, and no
# temporary file beside it.
"$query" --db site.db plot --scope 10.0.0.0/24 -o good.svg
cp good.svg good.svg.orig
echo "keep me" >status.csv
status=0
"$query" --db site.db plot --scope 10.0.0.0/24 --until 2020-01-01 -o good.svg 2>/dev/null || status=$?
[[ $status == 3 ]] || fail "plot of an empty window: exit $status"
cmp good.svg good.svg.orig || fail "a failed plot changed good.svg"
"$query" --db site.db report -o good.html || true
cp good.html good.html.orig
status=0
"$query" --db site.db report --until 2020-01-01 -o good.html 2>/dev/null || status=$?
[[ $status == 3 ]] || fail "report of an empty window: exit $status"
cmp good.html good.html.orig || fail "a failed report changed good.html"
status=0
"$query" --db site.db status --format csv --until 2020-01-01 -o status.csv 2>/dev/null || status=$?
[[ $status == 3 && $(cat status.csv) == "keep me" ]] || fail "a failed status changed status.csv ($status)"
leftovers=$(find . -name '.*.tmp')
[[ -z $leftovers ]] || fail "temporary files left: $leftovers"

# Success with a finding (exit 1 or 2) still writes the file; a symlink is followed and kept,
# the target's permissions too.
echo old >real.csv
chmod 640 real.csv
ln -s real.csv out-link.csv
status=0
"$query" --db site.db status --format csv -o out-link.csv || status=$?
((status <= 2)) || fail "status: exit $status"
[[ -L out-link.csv ]] || fail "the symlink was replaced"
head -1 real.csv | grep -q '^scope,server,' || fail "real.csv was not written through the symlink"
[[ $(stat -c %a real.csv) == 640 ]] || fail "permissions of real.csv: $(stat -c %a real.csv)"

# A device is written, never replaced by a file (the temporary file's rename would do that
# to /dev/null, as root).
"$query" --db site.db samples -o /dev/null
out=$("$query" --db site.db samples --scope 10.0.0.0/24 -o /dev/stdout)
[[ $out == timestamp\ * ]] || fail "-o /dev/stdout: ${out:0:80}"
[[ -c /dev/null ]] || fail "-o /dev/null replaced the device"

# --truth is written only when the run is stored.
echo old >truth.csv
sqlite3 site.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
status=0
"$collect" --db site.db -q simulate --scopes 3 --days 2 --seed 6 --end 2026-11-24T00:00:00Z --truth truth.csv 2>/dev/null || status=$?
[[ $status == 3 && $(cat truth.csv) == old ]] || fail "a refused run replaced the truth file ($status)"
"$collect" --db other.db -q simulate --scopes 3 --days 2 --seed 6 --end 2026-11-24T00:00:00Z --truth truth.csv
head -1 truth.csv | grep -q '^kind,' || fail "the truth file of a stored run: $(head -1 truth.csv)"
echo "ok"

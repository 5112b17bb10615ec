# The database cannot be used (issue 9): a missing directory, a read-only database, a lock
# held beyond --busy-timeout, a damaged file. Each time: exit status 3 (never a signal), one
# line on stderr naming the file, and the data stored before is intact.
source "$(dirname "$0")/lib.bash" "$1"

# $1: what, $2: expected status, $3: a regex the one line must match; the command follows.
expect_error() {
  local what=$1 want=$2 regex=$3 status=0
  shift 3
  "$@" >/dev/null 2>err.txt || status=$?
  [[ $status == "$want" ]] || fail "$what: exit status $status, expected $want: $(cat err.txt)"
  [[ $(wc -l <err.txt) == 1 ]] || fail "$what: stderr is not one line: $(cat err.txt)"
  grep -Eq -- "$regex" err.txt || fail "$what: the message does not match $regex: $(cat err.txt)"
  echo "$what -> $(cat err.txt)"
}

mkdir d
"$collect" --db d/t.db -q simulate --scopes 2 --days 1 --end 2026-11-20T00:00:00Z
before=$(stored d/t.db)
"$query" --db d/t.db samples --format csv -o before.csv
intact() {
  [[ $(integrity d/t.db) == ok ]] || fail "$1: integrity_check: $(integrity d/t.db)"
  [[ $(stored d/t.db) == "$before" ]] || fail "$1: stored samples changed"
  "$query" --db d/t.db samples --format csv --until 2026-11-20T00:00:00Z -o after.csv
  cmp -s before.csv after.csv || fail "$1: stored samples changed"
}
more=(simulate --scopes 2 --days 1 --end 2026-11-21T00:00:00Z)

# Missing directory.
expect_error "missing directory" 3 '^fostat-collect: nodir/t\.db: no such directory nodir; create it first$' \
  "$collect" --db nodir/t.db -q "${more[@]}"
[[ ! -e nodir ]] || fail "the directory was created"

# Read-only: root writes through file modes, so as root a read-only bind mount in a mount
# namespace of our own (nothing leaks to the host) and an immutable file; otherwise modes.
if [[ $(id -u) == 0 ]]; then
  expect_error "read-only file system" 3 '^fostat-collect: d/t\.db: .*\(cannot write it: Read-only file system\)$' \
    unshare -m bash -c 'mount --bind -o ro d d && exec "$@"' - "$collect" --db d/t.db -q "${more[@]}"
  intact "read-only file system"
  if chattr +i d/t.db 2>/dev/null; then
    trap 'chattr -i "$work/d/t.db" 2>/dev/null; rm -rf "$work"' EXIT
    expect_error "immutable file" 3 '^fostat-collect: d/t\.db: attempt to write a readonly database \(cannot write it: Operation not permitted\)$' \
      "$collect" --db d/t.db -q "${more[@]}"
    chattr -i d/t.db
    intact "immutable file"
  fi
else
  chmod a-w d/t.db
  expect_error "read-only file" 3 '^fostat-collect: d/t\.db: .*\(cannot write it: Permission denied\)$' \
    "$collect" --db d/t.db -q "${more[@]}"
  chmod u+w d/t.db
  intact "read-only file"
fi

# Locked beyond the busy timeout: sqlite3 holds the write lock for 8 s. The collector gives
# up after --busy-timeout 1s (once for its run, once for the run's failure row); a query
# meanwhile does not wait at all (WAL).
rm -f locked
sqlite3 d/t.db "BEGIN IMMEDIATE" ".shell touch locked; sleep 8" "COMMIT" &
holder=$!
while [[ ! -e locked ]]; do sleep 0.05; done
start=$SECONDS
expect_error "locked" 3 '^fostat-collect: d/t\.db: database is locked \(another process held it for longer than --busy-timeout 1s; try again\)$' \
  "$collect" --db d/t.db --busy-timeout 1s -q "${more[@]}"
((SECONDS - start < 5)) || fail "locked: the collector waited $((SECONDS - start)) s with --busy-timeout 1s"
expect_error "locked, prune" 3 '^fostat-collect: d/t\.db: database is locked \(another process held it for longer than --busy-timeout 1s; try again\)$' \
  "$collect" --db d/t.db --busy-timeout 1s -q prune --keep-raw 1d
((SECONDS - start < 7)) || fail "locked: the collector and prune waited $((SECONDS - start)) s with --busy-timeout 1s"
"$query" --db d/t.db samples --format csv -o during.csv || fail "a query failed while the database was locked"
cmp -s before.csv during.csv || fail "a query during the lock saw other samples"
wait "$holder"
intact "locked"
expect_error "--busy-timeout" 3 "^fostat-collect: --busy-timeout: 'soon' is not a duration" \
  "$collect" --db d/t.db --busy-timeout soon -q "${more[@]}"

# Damaged: the header, the first page after it, then 40 random places of 8 bytes. Whatever
# is hit, both programs exit 0 or 3, never by a signal; damage SQLite detects names the file.
page=$(sqlite3 d/t.db 'PRAGMA page_size')
size=$(stat -c %s d/t.db)
damage() { cp d/t.db c.db; printf '\xde\xad\xbe\xef\x01\x02\x03\x04' | dd of=c.db bs=1 seek="$1" conv=notrunc status=none; }
damage 0
expect_error "damaged header, collector" 3 '^fostat-collect: c\.db: file is not a database' "$collect" --db c.db -q "${more[@]}"
expect_error "damaged header, query" 3 '^fostat-query: c\.db: file is not a database' "$query" --db c.db samples
damage "$page"
expect_error "damaged page, collector" 3 '^fostat-collect: c\.db: database disk image is malformed' "$collect" --db c.db -q "${more[@]}"
expect_error "damaged page, query" 3 '^fostat-query: c\.db: database disk image is malformed' "$query" --db c.db samples
RANDOM=9
statuses=()
for i in $(seq 1 40); do
  pos=$(((RANDOM * 32768 + RANDOM) % (size - 8)))
  damage "$pos"
  for cmd in "$collect --db c.db -q ${more[*]}" "$query --db c.db samples --format csv" "$query --db c.db trend"; do
    status=0
    $cmd >/dev/null 2>err.txt || status=$?
    # trend exits 0 to 2 by what it finds; 3 is an error; above is a signal or an abort.
    ((status <= 3)) || fail "damage at byte $pos: '$cmd' exited with status $status: $(cat err.txt)"
    ((status != 3)) || [[ $(wc -l <err.txt) == 1 ]] || fail "damage at byte $pos: '$cmd': stderr is not one line: $(cat err.txt)"
    # SQLite's errors name the file; our decoders' say what is damaged.
    ((status != 3)) || grep -Eq '^fostat-(collect|query): (c\.db: |.* is damaged)' err.txt ||
      fail "damage at byte $pos: '$cmd': the message names neither the file nor the damage: $(cat err.txt)"
    statuses+=("$status")
  done
  rm -f c.db c.db-wal c.db-shm
done
echo "40 random damages: exit statuses $(printf '%s\n' "${statuses[@]}" | sort | uniq -c | tr -s ' \n' ' ')"
intact "the end"

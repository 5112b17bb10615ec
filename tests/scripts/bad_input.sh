# Bad input of every kind: exit 3, one line on stderr naming the file and line, and the data
# stored before is intact.
source "$(dirname "$0")/lib.bash" "$1"

"$collect" --db t.db -q simulate --scopes 2 --days 1 --end 2026-11-20T00:00:00Z
before=$(stored t.db)
"$query" --db t.db samples --format csv -o before.csv
header=$(head -n 1 before.csv)

"$collect" --db src.db -q simulate --scopes 2 --days 1 --end 2026-11-24T00:00:00Z
"$query" --db src.db samples --format csv -o good.csv
size=$(stat -c %s good.csv)

head -c $((size / 2)) good.csv >truncated.csv
: >empty.csv
head -c 20000 /dev/urandom >garbage.bin
{ echo "$header"; echo "2026-11-24T08:00:00Z,dhcp1,r,10.1.2.0/24,254,120,134,60,60,70"; } >columns.csv
{ echo "$header"; echo "2026-11-24T08:00:00Z,dhcp1,r,10.1.2.0/24,254,120,abc,60,60,70,64,load-balance,50,normal"; } >text.csv
{ echo "$header"; echo "2026-11-24T08:00:00Z,dhcp1,r,10.1.2.0/24,254,120,-134,60,60,70,64,load-balance,50,normal"; } >negative.csv
{ echo "$header"; echo "2026-11-24T08:00:00Z,dhcp1,r,10.1.2.0/24,4294967296,120,134,60,60,70,64,load-balance,50,normal"; } >huge.csv
{ echo "$header"; echo "2026-11-31T08:00:00Z,dhcp1,r,10.1.2.0/24,254,120,134,60,60,70,64,load-balance,50,normal"; } >date.csv
{ echo "$header"; echo "yesterday,dhcp1,r,10.1.2.0/24,254,120,134,60,60,70,64,load-balance,50,normal"; } >time.csv
{ head -n 200 good.csv; printf '2026-11-24T08:00:00Z,dhcp1,"unterminated\n'; } >quote.csv

for f in truncated.csv empty.csv garbage.bin columns.csv text.csv negative.csv huge.csv date.csv time.csv quote.csv; do
  status=0
  "$collect" --db t.db import "$f" 2>err.txt >/dev/null || status=$?
  [[ $status == 3 ]] || fail "$f: exit status $status, expected 3"
  [[ $(wc -l <err.txt) == 1 ]] || fail "$f: stderr is not one line: $(cat err.txt)"
  grep -Eq "^fostat-collect: $f:[0-9]+: " err.txt || fail "$f: the message does not name file:line: $(cat err.txt)"
  [[ $(stored t.db) == "$before" ]] || fail "$f: stored samples changed"
  echo "$f -> $(cat err.txt)"
done
"$query" --db t.db samples --format csv -o after.csv
cmp before.csv after.csv || fail "stored samples changed"
[[ $(integrity t.db) == ok ]] || fail "integrity"
failed=$(sqlite3 t.db "SELECT count(*) FROM runs WHERE status = 'failed'")
[[ $failed == 10 ]] || fail "$failed failure rows, expected 10"

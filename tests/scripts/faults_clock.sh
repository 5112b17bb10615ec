# The clock (issue 9): samples earlier than a server's latest are stored when new (backfill)
# and refused when they conflict; a server whose newest sample is more than --max-skew ahead
# of the run's clock is warned about, naming the server and the skew, and the run is stored.
source "$(dirname "$0")/lib.bash" "$1"

header=timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,this_addr_free,partner_addr_in_use,this_addr_in_use
# $1 server, $2 time, $3 addresses in use, of 254.
row() { echo "$2,$1,r,10.1.2.0/24,254,$((254 - $3)),$3,100,$((154 - $3)),60,$(($3 - 60))"; }

{ echo "$header"; for m in 00 05 10 15; do row dhcp1 "2026-11-24T10:${m}:00Z" 100; done; } >late.csv
{ echo "$header"; for m in 00 05 10 15; do row dhcp1 "2026-11-24T09:${m}:00Z" 90; done; } >early.csv
{ echo "$header"; row dhcp1 2026-11-24T10:05:00Z 101; } >conflict.csv
{ echo "$header"; row dhcp1 2026-11-24T09:05:00Z 90; } >again.csv

"$collect" --db t.db -q import late.csv
status=0
"$collect" --db t.db -q import early.csv 2>err.txt || status=$?
[[ $status == 0 && ! -s err.txt ]] || fail "backfill: status $status: $(cat err.txt)"
[[ $(stored t.db) == 8 ]] || fail "backfill: $(stored t.db) samples stored, expected 8"
"$query" --db t.db samples --format csv | cut -d, -f1 | tail -n +2 >times.txt
sort -c times.txt || fail "samples are not in time order after a backfill"
[[ $(head -n 1 times.txt) == 2026-11-24T09:00:00Z ]] || fail "the backfill's first sample is missing"
echo "backfill: 4 samples before the latest stored ones added"

status=0
"$collect" --db t.db -q import conflict.csv 2>err.txt || status=$?
[[ $status == 3 ]] || fail "conflict: status $status, expected 3"
grep -q "is already stored with" err.txt || fail "conflict: $(cat err.txt)"
[[ $(stored t.db) == 8 ]] || fail "conflict: stored samples changed"
echo "conflict -> $(cut -c1-100 err.txt)..."
"$collect" --db t.db import again.csv 2>err.txt >out.txt || fail "the same sample again: $(cat err.txt)"
grep -q "0 added, 1 already stored" out.txt || fail "the same sample again: $(cat out.txt)"

# --max-skew: samples from 2 hours ahead of this host's clock.
ahead=$(date -u -d '+2 hours' +%FT%TZ)
now=$(date -u -d '-1 minute' +%FT%TZ)
{ echo "$header"; row dhcp2 "$ahead" 100; } >ahead.csv
{ echo "$header"; row dhcp2 "$now" 100; } >now.csv
{ echo "$header"; row dhcp3 "$now" 100; } >other.csv
status=0
"$collect" --db t.db -q import ahead.csv 2>err.txt || status=$?
[[ $status == 0 ]] || fail "ahead: status $status"
[[ $(wc -l <err.txt) == 1 ]] || fail "ahead: not one warning: $(cat err.txt)"
grep -Eq "^fostat-collect: warning: dhcp2: newest sample $ahead is (1h5[0-9]m([0-9]+s)?|2h) ahead of this run's clock .* \(more than --max-skew 5m\); check the clocks of dhcp2 and of this host$" err.txt ||
  fail "ahead: $(cat err.txt)"
[[ $(stored t.db) == 9 ]] || fail "ahead: the run was not stored"
echo "ahead -> $(cat err.txt)"
# The sample stays the newest of dhcp2, so later runs of dhcp2 warn too; other servers do not.
"$collect" --db t.db -q import now.csv 2>err.txt || fail "now: $(cat err.txt)"
grep -q "warning: dhcp2: newest sample $ahead is" err.txt || fail "a later run of dhcp2 did not warn: $(cat err.txt)"
"$collect" --db t.db -q import other.csv 2>err.txt || fail "other: $(cat err.txt)"
[[ ! -s err.txt ]] || fail "a run of dhcp3 warned: $(cat err.txt)"
"$collect" --db t.db -q --max-skew 3h import now.csv 2>err.txt || fail "--max-skew 3h: $(cat err.txt)"
[[ ! -s err.txt ]] || fail "--max-skew 3h warned: $(cat err.txt)"
"$collect" --db t.db -q --max-skew off import now.csv 2>err.txt || fail "--max-skew off: $(cat err.txt)"
[[ ! -s err.txt ]] || fail "--max-skew off warned: $(cat err.txt)"
status=0
"$collect" --db t.db -q --max-skew later import now.csv 2>err.txt || status=$?
[[ $status == 3 ]] && grep -q "^fostat-collect: --max-skew: 'later' is not a duration" err.txt || fail "--max-skew later: $(cat err.txt)"
[[ $(stored t.db) == 11 ]] || fail "$(stored t.db) samples stored, expected 11"
echo "ok"

# Every query command's resident memory is independent of the window's length
# (docs/design.md § Memory; docs/storage.md, "Memory of the queries"). 60 scopes x 2 servers,
# 5-minute samples for 61 days (2.1 M samples); each command runs over the last 6 days and
# over the last 60, and its peak resident set (GNU time's %M) over 60 days may exceed the one
# over 6 days by at most $margin KiB. SQLite's page cache holds up to 2 MiB: 60 scopes are
# enough for each command to fill it over 6 days too (trend reads 6 days of rollups, 0.5 MiB
# for 20 scopes, which left it up to 1.6 MiB below the longer walk's, at the margin's edge).
# Keeping one scope's hourly buckets (and its stored days) would grow by about 7 MiB, buckets
# of every scope by 15 MiB and more, 60 days of one scope's raw points by 4 MiB, every row of
# the samples table by hundreds of MiB. A table keeps its first kTablePrefixRows (1000) rows
# to size its columns, so the bucket table is measured with 1h buckets, which fill that prefix
# over 6 days too (daily buckets would leave it 420 rows over 6 days: 0.4 MiB less). The CSV
# with --buckets is measured with 1h buckets too: daily ones keep too little to show.
source "$(dirname "$0")/lib.bash" "$1"

# Debian's package `time` (tools/install-deps installs it): never skip for want of it.
[[ -x /usr/bin/time ]] || fail "/usr/bin/time (GNU time, Debian package time) is missing"

margin=1536 # KiB
"$collect" --db m.db --quiet simulate --scopes 60 --days 61 --seed 3 --end 2026-12-01T00:00:00Z
short=2026-11-25T00:00:00Z
long=2026-10-02T00:00:00Z

# The peak resident set in KiB of one query over [since, end]; exit status 0, 1 or 2 is an
# answer (checks and forecasts), 3 an error.
peak() {
  local since=$1
  shift
  local status=0
  /usr/bin/time -f %M -o rss "$query" --db m.db --since "$since" "$@" >out 2>err || status=$?
  ((status <= 2)) || fail "$* --since $since: exit $status: $(cat err)"
  tail -n 1 rss
}

failed=()
measure() {
  local a b allowed=$margin
  a=$(peak "$short" "$@")
  b=$(peak "$long" "$@")
  echo "$*: ${a} KiB over 6 days, ${b} KiB over 60 days"
  ((b <= a + allowed)) || failed+=("$* grew by $((b - a)) KiB (at most $allowed)")
}

measure scopes
measure samples --format csv
measure samples --format json
measure samples
measure status
measure check
measure imbalance
measure trend
measure trend --bucket 1h
measure trend --per-server --buckets --bucket 1h
# The CSV writes each line's buckets after its row, walking them again: with 1h buckets a
# kept scope's buckets grow by 3.3 MiB, daily ones stay within the margin.
measure trend --per-server --buckets --bucket 1h --format csv
measure plot --scope 10.0.0.0/24 -o chart.svg

((${#failed[@]} == 0)) || fail "memory grows with the window: $(printf '%s; ' "${failed[@]}")"
echo "memory is independent of the window"

# Every query command's resident memory is independent of the window's length (DESIGN §6,
# memory; docs/storage.md, "Memory of the queries"). 20 scopes x 2 servers, 5-minute samples
# for 61 days (0.7 M samples); each command runs over the last 6 days and over the last 60,
# and its peak resident set (GNU time's %M) over 60 days may exceed the one over 6 days by
# at most $margin KiB (SQLite's page cache fills up to 2 MiB on the longer walk). trend keeps
# one scope's buckets at a time (60 days of hourly buckets of a two-server scope and their
# stored days: about 7 MiB), so it is allowed $scope_buckets KiB more; buckets of every scope
# (the old TrendResult) grow by 15 MiB and more, 60 days of one scope's raw points by 4 MiB,
# every row of the samples table by hundreds of MiB.
source "$(dirname "$0")/lib.bash" "$1"

# Debian's package `time` (tools/install-deps installs it): never skip for want of it.
[[ -x /usr/bin/time ]] || fail "/usr/bin/time (GNU time, Debian package time) is missing"

margin=1536         # KiB
scope_buckets=8192  # KiB, trend only
"$collect" --db m.db --quiet simulate --scopes 20 --days 61 --seed 3 --end 2026-12-01T00:00:00Z
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
  [[ $1 == trend ]] && allowed=$((margin + scope_buckets))
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
measure trend --per-server --buckets
measure trend --per-server --buckets --bucket 1h --format csv
measure plot --scope 10.0.0.0/24 -o chart.svg

((${#failed[@]} == 0)) || fail "memory grows with the window: $(printf '%s; ' "${failed[@]}")"
echo "memory is independent of the window"

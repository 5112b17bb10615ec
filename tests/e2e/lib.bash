# Shared by the end-to-end tests (sourced after `set -euo pipefail`). REQUIRES: e2e_name set
# to the test's name, for its messages.

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "$e2e_name: $*"; }

# Skips unless this is root on a machine that can create network namespaces; installs the
# packages given (tools/install-deps) first.
require_netns_and() {
  [[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces (run as root)"
  "$root/tools/install-deps" iproute2 "$@" || fail "could not install iproute2 $*"
  local probe=fostat-e2e-$$-probe
  ip netns add "$probe" 2>/dev/null || skip "'ip netns add' fails here: no network namespaces"
  ip netns del "$probe"
}

# assert_starved DB SCOPE STARVED OTHER: `fostat-query imbalance --for 0` on SCOPE exits 2,
# reports STARVED as starved (critical) with a -50 point short-of-free episode, and reports
# nothing of OTHER, which holds every free address. Prints the findings as a note.
assert_starved() {
  local db=$1 scope=$2 starved=$3 other=$4 rc=0 findings
  "$query" --db "$db" imbalance --scope "$scope" --for 0 --format csv >imbalance.csv 2>&1 || rc=$?
  ((rc == 2)) || { cat imbalance.csv >&2; fail "fostat-query imbalance on the drained $scope exited $rc, expected 2 (a critical finding)"; }
  findings=$(awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { print $col["kind"], $col["severity"], $col["server"], $col["worst_deviation"] }' imbalance.csv)
  grep -q "^starved critical $starved " <<<"$findings" ||
    { cat imbalance.csv >&2; fail "fostat-query imbalance reports no starved $starved in $scope"; }
  grep -q "^imbalance [a-z]* $starved -50\$" <<<"$findings" ||
    { cat imbalance.csv >&2; fail "fostat-query imbalance reports no -50 pp short-of-free episode of $starved in $scope"; }
  ! grep -q " $other " <<<"$findings" ||
    { cat imbalance.csv >&2; fail "fostat-query imbalance reports $other in $scope, which holds every free address"; }
  note "imbalance on the drained $scope: $(tr '\n' ';' <<<"$findings")"
}

# The end of a test's `cleanup` (its EXIT trap): keeps the work directory $work when
# FOSTAT_E2E_KEEP is set, saying where, else deletes it; exits with status $1.
leave_work() {
  if [[ ${FOSTAT_E2E_KEEP:-} ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  exit "$1"
}

# Runs the test's `cleanup` on exit (an interrupt exits 130 through it), enters $work and
# starts the clock ($start, for the notes' seconds).
enter_work() {
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  cd "$work"
  start=$SECONDS
}

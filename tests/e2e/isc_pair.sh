#!/usr/bin/env bash
# End-to-end: the `isc` source against a live ISC dhcpd failover pair (tools/lab/isc-pair) in
# network namespaces, loaded by perfdhcp, compared with dhcpd-pools on the same files.
#
#   bash tests/e2e/isc_pair.sh BIN_DIR      (BIN_DIR holds fostat-collect and fostat-query)
#
# Needs root (network namespaces); exits 77 (skipped) with a message where namespaces cannot
# be created. Installs isc-dhcp-server, kea-admin (perfdhcp) and dhcpd-pools if missing.
# Asserts, per scope and for both servers' copies of their journals:
#   1. num_addr, active, free and backup equal `dhcpd-pools -c CONF -l LEASES -f c` (every
#      in-use lease is active here: leases last 600 s and perfdhcp releases nothing, which
#      the test checks in the journal, so active = addr_in_use = dhcpd-pools "cur");
#   2. `fostat-query check` (partner-free, sum-*, range) finds nothing;
#   3. the primary's this_addr_free = the secondary's partner_addr_free (and the reverse).
# 2 and 3 compare two journals that settle only when the binding updates (and the pool
# rebalancing every 5-15 s) have reached both servers: the copy is retried, every 2 s for up
# to 40 s, until they agree; 1 must hold on every copy. A copy cut mid-record (dhcpd was
# writing) is refused by fostat-collect and also retried.
# Everything is torn down on exit, whatever happened. FOSTAT_E2E_KEEP=1 keeps the work
# directory (configs, journals, logs, databases).
set -euo pipefail

bin=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
collect=$bin/fostat-collect
query=$bin/fostat-query
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$root/tools/lab/isc-pair
unset FOSTAT_DB

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "isc_pair: $*"; }

# --- can this machine run it? ------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces (run as root)"
"$root/tools/install-deps" iproute2 isc-dhcp-server kea-admin dhcpd-pools ||
  fail "could not install iproute2 isc-dhcp-server kea-admin dhcpd-pools"
probe=fostat-e2e-$$-probe
ip netns add "$probe" 2>/dev/null || skip "'ip netns add' fails here: no network namespaces"
ip netns del "$probe"

for c in dhcpd perfdhcp dhcpd-pools; do
  command -v "$c" >/dev/null || fail "$c not found after installing its package"
done

work=$(mktemp -d)
cleanup() {
  local rc=$?
  "$lab" down "$work/lab" || true
  if ((rc != 0 && rc != 77)); then
    for f in "$work"/lab/primary.log "$work"/lab/secondary.log; do
      [[ -f $f ]] && { echo "--- last lines of $f" >&2; tail -15 "$f" >&2; }
    done
  fi
  if [[ ${FOSTAT_E2E_KEEP:-} ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"
start=$SECONDS

# --- the pair ----------------------------------------------------------------------------
"$lab" up "$work/lab"
# shellcheck disable=SC1091
source "$work/lab/lab.env"

# perfdhcp exits 3 when some exchanges did not complete (both servers get every broadcast,
# the one the client does not hash to stays silent, and a client whose server's pool is
# empty is not answered): expected. Anything else is a failure.
perf() {
  local ns=$1 out=$2
  shift 2
  local rc=0
  timeout 60 ip netns exec "$ns" perfdhcp -4 -l eth0 "$@" >"$out" 2>&1 || rc=$?
  ((rc == 0 || rc == 3)) || { cat "$out" >&2; fail "perfdhcp $* exited $rc"; }
}
# 200 clients of 198.18.1.0/24 (241 addresses), directly on the servers' segment ...
perf "$NS_CLIENT" perf1.out -r 50 -R 200 -n 400 -p 20
# ... and 30 of 198.18.3.0/24 (41 addresses) through the relay address 198.18.3.1.
perf "$NS_RELAY" perf2.out -r 20 -R 30 -n 100 -p 20 -b mac=00:0c:02:00:00:00
note "load done after $((SECONDS - start)) s"

# --- collect and compare -----------------------------------------------------------------
# The last record of each address in a journal: address and binding state.
last_states() {
  awk '$1 == "lease" && $3 == "{" { ip = $2 }
       $1 == "binding" && $2 == "state" && ip != "" { s = $3; sub(/;$/, "", s); st[ip] = s }
       $1 == "}" { ip = "" }
       END { for (a in st) print a, st[a] }' "$1"
}

# Checks one server's samples (db $1, server $2, role $3) against dhcpd-pools on the
# same config ($4) and journal copy ($5). Prints nothing on success.
against_dhcpd_pools() {
  local db=$1 server=$2 role=$3 conf=$4 leases=$5
  local other
  other=$(last_states "$leases" | awk '$2 != "active" && $2 != "free" && $2 != "backup"' | wc -l)
  ((other == 0)) || { echo "$server: $other in-use leases are not active; the comparison assumes none"; return; }
  dhcpd-pools -c "$conf" -l "$leases" -f c >"dp-$server.csv" ||
    { echo "dhcpd-pools failed on $conf $leases"; return; }
  "$query" --db "$db" samples --server "$server" --format csv >"fo-$server.csv"
  # dhcpd-pools: one range per subnet here; the scope is the /24 of its first address.
  awk -F, -v role="$role" -v server="$server" '
    FNR == 1 { file++ }
    file == 1 {
      gsub(/"/, "")
      if ($0 == "Ranges:") { inr = 1; next }
      if ($0 == "") inr = 0
      if (inr && $2 ~ /^[0-9.]+$/) {
        split($2, o, "."); sc = o[1] "." o[2] "." o[3] ".0/24"
        max[sc] += $4; cur[sc] += $5; bu[sc] += $10; seen[sc] = 1
      }
      next
    }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
      sc = $col["scope"]; n++
      if (!(sc in seen)) { printf "%s %s: not in dhcpd-pools output\n", server, sc; next }
      free = max[sc] - cur[sc] - bu[sc]
      own = (role == "primary") ? free : bu[sc]; peer = (role == "primary") ? bu[sc] : free
      got = $col["num_addr"] " " $col["addr_in_use"] " " $col["this_addr_free"] " " $col["partner_addr_free"] " " $col["state"]
      want = max[sc] " " cur[sc] " " own " " peer " normal"
      if (got != want)
        printf "%s %s: fostat num_addr/in_use/this_free/partner_free/state %s, dhcpd-pools %s\n", server, sc, got, want
      done[sc] = 1
    }
    END {
      for (sc in seen) if (!(sc in done)) printf "%s %s: no fostat sample\n", server, sc
      if (n != 2) printf "%s: %d samples, expected 2\n", server, n
    }' "dp-$server.csv" "fo-$server.csv"
}

# primary this_addr_free = secondary partner_addr_free and the reverse, per scope.
partner_frees() {
  "$query" --db "$1" samples --format csv | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { k = $col["scope"]; t[$col["server"], k] = $col["this_addr_free"]; p[$col["server"], k] = $col["partner_addr_free"]; sc[k] = 1 }
    END {
      for (k in sc) {
        if (t["primary", k] != p["secondary", k])
          printf "%s: primary this_addr_free %s, secondary partner_addr_free %s\n", k, t["primary", k], p["secondary", k]
        if (t["secondary", k] != p["primary", k])
          printf "%s: secondary this_addr_free %s, primary partner_addr_free %s\n", k, t["secondary", k], p["primary", k]
      }
    }'
}

rules=(--rule partner-free --rule sum-total --rule sum-free --rule sum-in-use --rule range)
sleep 2
settled='' collect_err=''
for attempt in $(seq 20); do
  ((attempt == 1)) || sleep 2
  ((SECONDS - start < 100)) || break
  cp "$work/lab/primary.leases" "p$attempt.leases"
  cp "$work/lab/secondary.leases" "s$attempt.leases"
  db=t$attempt.db
  at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  if ! "$collect" --db "$db" -q isc --config "$work/lab/dhcpd-primary.conf" \
         --leases "p$attempt.leases" --server primary --at "$at" 2>"collect$attempt.err" ||
     ! "$collect" --db "$db" -q isc --config "$work/lab/dhcpd-secondary.conf" \
         --leases "s$attempt.leases" --server secondary --split 128 --at "$at" 2>>"collect$attempt.err"; then
    # A journal copied while dhcpd appended to it can end mid-record ("cut off at the end")
    # or mid-statement: copy again; a real parse error fails every copy and is shown below.
    note "attempt $attempt: fostat-collect refused a copy ($(head -1 "collect$attempt.err")), again"
    collect_err=collect$attempt.err
    continue
  fi
  # (1) holds on any copy, settled or not.
  diffs=$(against_dhcpd_pools "$db" primary primary "$work/lab/dhcpd-primary.conf" "p$attempt.leases"
          against_dhcpd_pools "$db" secondary secondary "$work/lab/dhcpd-secondary.conf" "s$attempt.leases")
  [[ -z $diffs ]] || fail "fostat and dhcpd-pools differ (attempt $attempt):"$'\n'"$diffs"
  # (2) and (3) hold once the binding updates have reached both journals.
  rc=0
  "$query" --db "$db" check "${rules[@]}" >"check$attempt.out" 2>&1 || rc=$?
  partner=$(partner_frees "$db")
  if ((rc == 0)) && grep -q '^(no results)' "check$attempt.out" && [[ -z $partner ]]; then
    settled=$attempt
    break
  fi
  collect_err=''
  note "attempt $attempt: the journals disagree (updates in flight?), copying again"
  cat "check$attempt.out"; [[ -z $partner ]] || echo "$partner"
done
[[ $settled ]] || {
  [[ -z ${collect_err:-} ]] || cat "$collect_err" >&2
  [[ ! -f check$attempt.out ]] || cat "check$attempt.out" >&2
  [[ -z ${partner:-} ]] || echo "$partner" >&2
  fail "no two journal copies agreed within $((SECONDS - start)) s ($attempt attempts)"
}

# The load reached both scopes (so the comparison above was not of empty pools).
"$query" --db "$db" samples --server primary --format csv | awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { print $col["scope"], $col["addr_in_use"] }' >in_use.txt
read -r _ used1 < <(grep '^198.18.1.0/24 ' in_use.txt)
read -r _ used3 < <(grep '^198.18.3.0/24 ' in_use.txt)
((used1 >= 100)) || fail "only $used1 leases in use in 198.18.1.0/24 after perfdhcp (expected ~200)"
((used3 >= 15)) || fail "only $used3 leases in use in 198.18.3.0/24 after perfdhcp (expected ~30)"

note "$(cat fo-primary.csv fo-secondary.csv | grep -v '^timestamp' | cut -d, -f2,4-11 | tr '\n' ' ')"
note "pass: journals agreed on copy $settled, dhcpd-pools matched on every copy; $((SECONDS - start)) s"

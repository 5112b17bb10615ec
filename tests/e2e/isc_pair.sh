#!/usr/bin/env bash
# End-to-end: the `isc` source against a live ISC dhcpd failover pair (tools/lab/isc-pair) in
# network namespaces, loaded by perfdhcp, compared with dhcpd-pools on the same files and with
# what the servers' own logs say they did.
#
#   bash tests/e2e/isc_pair.sh BIN_DIR      (BIN_DIR holds fostat-collect and fostat-query)
#
# Needs root (network namespaces); exits 77 (skipped) with a message where namespaces cannot
# be created. Installs isc-dhcp-server, kea-admin (perfdhcp) and dhcpd-pools if missing.
# The load: 200 clients in 198.18.1.0/24 and 30 relayed ones in 198.18.3.0/24 (relationship
# e2e-fo), and 30 relayed clients in 198.18.5.0/24 (relationship e2e-drain, 41 addresses, no
# rebalancing while the test runs) whose MACs all hash to the primary (`fostat-isc-gen macs`):
# they drain the primary's 21 free leases, and once the secondary sees none left it answers
# the rest from its backup pool ("cancel load balance to peer"), which keeps some backup free.
# Asserts, per scope and for both servers' copies of their journals:
#   1. num_addr, active, free and backup equal `dhcpd-pools -c CONF -l LEASES -f c` (every
#      in-use lease is active here: leases last 600 s and perfdhcp releases nothing, which
#      the test checks in the journal, so active = addr_in_use = dhcpd-pools "cur");
#   2. `fostat-query check` (partner-free, sum-*, range) finds nothing;
#   3. the primary's this_addr_free = the secondary's partner_addr_free (and the reverse);
#   4. the in-use split agrees with the servers' logs (dhcpd -d): each server answers a
#      DHCPDISCOVER it hashes to itself, logs "load balance to peer" for one it hashes to its
#      partner, and "cancel load balance to peer" when it answers one of the partner's clients
#      because the partner has no free lease. So every DHCPACK (of a DHCPREQUEST naming that
#      server, the only ones the lab's server-id-check lets it answer; renewals aside) follows a DISCOVER the server answered or cancelled balancing
#      for, never one it balanced to the peer; every MAC hashes to one server by all decisions
#      of both logs; and this_addr_in_use (partner_addr_in_use) is the number of active leases
#      of clients that those decisions make this server's (the partner's): ACKed by it, or by
#      the partner after "cancel load balance". fostat attributes by the RFC 3074 hash, as dhcpd
#      decides; the server that ACKed differs for the cancelled ones (counted in the notes:
#      while the primary is drained, the secondary answers the primary's clients);
#   5. every drain client is the primary's by dhcpd's own decisions (so the MAC list is right);
#      198.18.5.0/24 is drained on the primary: its this_addr_free is 0 while its
#      partner_addr_free is not, and `fostat-query imbalance --scope 198.18.5.0/24 --for 0`
#      exits 2 with a `starved` finding and a short-of-free episode for the primary, and none
#      for the secondary;
#   6. after a restart of the primary (no client active any more), the "balanced pool ...
#      total T free F backup B" lines it logs for the journal it read equal the primary's
#      num_addr, this_addr_free and partner_addr_free in 198.18.1.0/24 and 198.18.3.0/24.
# 2 and 3 compare two journals that settle only when the binding updates (and the pool
# rebalancing of e2e-fo every 5-15 s) have reached both servers: the copy is retried, every
# 2 s for up to 40 s, until they agree; 1 must hold on every copy, 4 and 5 on the copy that
# settled (with the logs copied after it). A copy cut mid-record (dhcpd was writing) is
# refused by fostat-collect and also retried.
# Everything is torn down on exit, whatever happened. FOSTAT_E2E_KEEP=1 keeps the work
# directory (configs, journals, logs, databases).
set -euo pipefail

bin=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
collect=$bin/fostat-collect
query=$bin/fostat-query
gen=$bin/tools/isc_gen/fostat-isc-gen
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$root/tools/lab/isc-pair
unset FOSTAT_DB

e2e_name=isc_pair
# shellcheck source=lib.bash
source "$root/tests/e2e/lib.bash"

# --- can this machine run it? ------------------------------------------------------------
require_netns_and isc-dhcp-server kea-admin dhcpd-pools

for c in dhcpd perfdhcp dhcpd-pools; do
  command -v "$c" >/dev/null || fail "$c not found after installing its package"
done
[[ -x $gen ]] || fail "$gen not found: build the project (tools/build) first"

work=$(mktemp -d)
cleanup() {
  local rc=$?
  "$lab" down "$work/lab" || true
  if ((rc != 0 && rc != 77)); then
    for f in "$work"/lab/primary.log "$work"/lab/secondary.log; do
      [[ -f $f ]] && { echo "--- last lines of $f" >&2; tail -15 "$f" >&2; }
    done
  fi
  leave_work "$rc"
}
enter_work

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
# ... and 30 clients that all hash to the primary, into the 41 addresses of 198.18.5.0/24:
# the primary's 21 free leases run out (its log then says "peer holds all free leases"); the
# secondary answers the other clients from its 20 backup leases once it has seen the
# primary's last free lease go ("cancel load balance to peer"). perfdhcp -M picks a MAC of
# the list at random for each exchange (and silently ignores a missing file).
"$gen" macs 30 primary 128 >drain.macs
(($(wc -l <drain.macs) == 30)) || fail "fostat-isc-gen macs printed $(wc -l <drain.macs) MACs, not 30"
perf "$NS_DRAIN" perf3.out -r 50 -n 200 -p 20 -M "$work/drain.macs"
note "load done after $((SECONDS - start)) s"

# --- collect and compare -----------------------------------------------------------------
# The last record of each address in a journal: address, binding state and hardware address
# ("-" if that record has none).
last_states() {
  awk '$1 == "lease" && $3 == "{" { ip = $2; st = ""; hw = "-" }
       $1 == "binding" && $2 == "state" && ip != "" { st = $3; sub(/;$/, "", st) }
       $1 == "hardware" && ip != "" { hw = $3; sub(/;$/, "", hw) }
       $1 == "}" && ip != "" { if (st != "") { state[ip] = st; mac[ip] = hw }; ip = "" }
       END { for (a in state) print a, state[a], mac[a] }' "$1"
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
      if (n != 3) printf "%s: %d samples, expected 3\n", server, n
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

# What the servers' logs say they did, from dhcpd -d's lines (no timestamps; one log per
# server, in its own order). Reads srv=NAME sid=ADDRESS LOG pairs (sid: the server identifier
# that server puts in its offers). Prints "IP MAC OWNER ACKER CANCELLED" for the last DHCPACK
# of each address and client in each log: OWNER is the server whose client dhcpd's decision
# made it (the hash), ACKER the server that ACKed, CANCELLED 1 when ACKER answered for its
# partner after "cancel load balance to peer". Lines starting with "problem:" are failures.
log_owners() {
  awk '
    function other(s) { return s == "primary" ? "secondary" : "primary" }
    function via(   i) { for (i = 1; i < NF; i++) if ($i == "via") { v = $(i + 1); sub(/:$/, "", v); return v } return "?" }
    function decided(mac, owner) {
      if ((mac in hashed) && hashed[mac] != owner)
        printf "problem: %s: %s decided %s is a client of the %s, an earlier decision said the %s\n", srv, $0, mac, owner, hashed[mac]
      hashed[mac] = owner
    }
    FNR == 1 { peer = other(srv) }
    /^DHCPDISCOVER from / {
      k = srv SUBSEP $3 SUBSEP via()
      if ($0 ~ /: load balance to peer /) { dec[k] = "peer"; pend[k] = 0; decided($3, peer) }
      else if ($0 ~ /: cancel load balance to peer /) { dec[k] = "cancel"; pend[k] = 1; decided($3, peer) }
      else if ($0 ~ /via [^ ]+: /) { dec[k] = "none"; pend[k] = 0 }   # no lease to offer, not responding, ...
      else if (pend[k]) pend[k] = 0     # the plain line dhcpd prints after "cancel load balance"
      else { dec[k] = "mine"; decided($3, srv) }
      next
    }
    /^DHCPREQUEST for / && $0 !~ /via [^ ]+: / {   # a request this server goes on to answer
      named = ($4 ~ /^\(/); mac = named ? $6 : $5
      k = srv SUBSEP mac SUBSEP via()
      req[k] = named ? substr($4, 2, length($4) - 2) : ""
      next
    }
    /^DHCPACK on / {
      ip = $3; mac = $5; k = srv SUBSEP mac SUBSEP via()
      if (!(k in req)) { printf "problem: %s: %s follows no DHCPREQUEST\n", srv, $0; next }
      if (req[k] == "") { renewals++; next }   # RENEWING, REBINDING, INIT-REBOOT: no DISCOVER
      if (req[k] != sid)
        printf "problem: %s: %s answers a DHCPREQUEST naming server %s, not %s\n", srv, $0, req[k], sid
      if (dec[k] == "mine") { owner = srv; cancelled = 0 }
      else if (dec[k] == "cancel") { owner = peer; cancelled = 1 }
      else {
        printf "problem: %s: %s, though its last DHCPDISCOVER from that client was %s\n", srv, $0,
               dec[k] == "peer" ? "balanced to the peer (\"load balance to peer\")" : "not answered"
        next
      }
      last[srv, ip, mac] = owner " " srv " " cancelled
    }
    END {
      for (x in last) { split(x, f, SUBSEP); print f[2], f[3], last[x] }
      if (renewals) printf "note: %d DHCPACKs of renewals (no load balancing decision) left out\n", renewals
    }' "$@"
}

# Checks server $2's samples in db $1 against its journal copy $3 and the owners from the logs
# ($4, log_owners' output): per scope, this_addr_in_use = the active leases of this server's
# clients, partner_addr_in_use = those of the partner's. Prints "ok SERVER SCOPE THIS PARTNER
# ACKED_BY_PRIMARY ACKED_BY_SECONDARY CANCELLED" per scope that agrees (a lease can have been
# ACKed by both servers, to a client that came back), a sentence per difference.
in_use_against_logs() {
  local db=$1 server=$2 leases=$3 owners=$4
  "$query" --db "$db" samples --server "$server" --format csv >"fo-$server.csv"
  last_states "$leases" >"states-$server.txt"
  awk -v server="$server" '
    function scope(ip,   o) { split(ip, o, "."); return o[1] "." o[2] "." o[3] ".0/24" }
    FILENAME == ARGV[1] && /^problem:|^note:/ { next }
    FILENAME == ARGV[1] {                               # IP MAC OWNER ACKER CANCELLED
      k = $1 " " $2
      if ((k in owner) && owner[k] != $3)
        printf "%s (%s): one log makes it a client of the primary, the other of the secondary\n", $1, $2
      owner[k] = $3; acked[k, $4] = 1; cancel[k] += $5
      next
    }
    FILENAME == ARGV[2] {                               # the journal: IP STATE MAC
      if ($2 != "active") next
      k = $1 " " $3
      if (!(k in owner)) { printf "%s: %s (%s) is active in its journal, but neither log has a DHCPACK of it\n", server, $1, $3; next }
      sc = scope($1); mine[sc] += (owner[k] == server); theirs[sc] += (owner[k] != server)
      by[sc, "primary"] += ((k, "primary") in acked); by[sc, "secondary"] += ((k, "secondary") in acked)
      cancelled[sc] += (cancel[k] > 0)
      next
    }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
      sc = $col["scope"]
      got = $col["this_addr_in_use"] "/" $col["partner_addr_in_use"]
      want = (mine[sc] + 0) "/" (theirs[sc] + 0)
      if (got != want)
        printf "%s %s: fostat this_addr_in_use/partner_addr_in_use %s, the logs %s (active leases ACKed by the primary %d, by the secondary %d, %d after \"cancel load balance to peer\")\n", server, sc, got, want, by[sc, "primary"], by[sc, "secondary"], cancelled[sc]
      else
        printf "ok %s %s %s %d %d %d\n", server, sc, got, by[sc, "primary"], by[sc, "secondary"], cancelled[sc]
    }' "$owners" "states-$server.txt" FS=, "fo-$server.csv"
}

rules=(--rule partner-free --rule sum-total --rule sum-free --rule sum-in-use --rule range)
sleep 2
settled='' collect_err=''
for attempt in $(seq 20); do
  ((attempt == 1)) || sleep 2
  ((SECONDS - start < 100)) || break
  cp "$work/lab/primary.leases" "p$attempt.leases"
  cp "$work/lab/secondary.leases" "s$attempt.leases"
  # The logs after the journals: every DHCPACK of a lease in the copies is in them.
  cp "$work/lab/primary.log" "p$attempt.log"
  cp "$work/lab/secondary.log" "s$attempt.log"
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
read -r _ used5 < <(grep '^198.18.5.0/24 ' in_use.txt)
((used5 >= 21)) || fail "only $used5 leases in use in 198.18.5.0/24 after the drain (expected 21 to 30)"

# (4) The in-use split against what the servers' logs say, on the copy that settled.
log_owners srv=primary sid="$PRIMARY_ADDR" "p$settled.log" \
           srv=secondary sid="$SECONDARY_ADDR" "s$settled.log" >owners.txt
problems=$(grep '^problem:' owners.txt || true)
[[ -z $problems ]] ||
  fail "$(wc -l <<<"$problems") log lines contradict the servers' load balancing, the first ones:"$'\n'"$(head -10 <<<"$problems")"
split=$(in_use_against_logs "$db" primary "p$settled.leases" owners.txt
        in_use_against_logs "$db" secondary "s$settled.leases" owners.txt)
bad=$(grep -v '^ok ' <<<"$split" || true)
[[ -z $bad ]] || fail "the in-use split differs from the servers' logs (copy $settled):"$'\n'"$bad"
while read -r _ server scope got by_p by_s cancelled; do
  note "$server $scope in use this/partner $got as the logs say (active leases ACKed by the primary $by_p, by the secondary $by_s, after \"cancel load balance to peer\" $cancelled)"
done <<<"$split"
! grep -q '^note:' owners.txt || note "$(grep '^note:' owners.txt)"

# (5) The drained pool: the primary has no free lease of 198.18.5.0/24, the secondary has, and
# `imbalance` says so.
read -r free5 partner5 theirs5 < <(awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $col["scope"] == "198.18.5.0/24" { print $col["this_addr_free"], $col["partner_addr_free"], $col["partner_addr_in_use"] }' fo-primary.csv)
# With (4), this says dhcpd itself made every client of fostat-isc-gen's list the primary's.
((theirs5 == 0)) || fail "$theirs5 leases of the drain clients in 198.18.5.0/24 are the secondary's clients, though fostat-isc-gen listed MACs that hash to the primary"
((free5 == 0 && partner5 > 0)) || {
  echo "the primary's log has $(grep -c 'via 198.18.5.1: peer holds all free leases' "p$settled.log" || true) \"peer holds all free leases\" lines for 198.18.5.0/24" >&2
  fail "198.18.5.0/24 is not drained on the primary: this_addr_free $free5, partner_addr_free $partner5 (expected 0 and more than 0)"
}
assert_starved "$db" 198.18.5.0/24 primary secondary

# (6) The primary's own figures: after a restart dhcpd reads its journal, reaches normal and
# balances every pool, logging "balanced pool ID SUBNET total T free F backup B ..." (or
# IMBALANCED) with the counts after its moves, which it writes to the journal. No client is
# active any more, so a journal copied after those lines holds the leases they describe:
# T, F and B must be num_addr, this_addr_free and partner_addr_free of the primary's sample.
# (During the load dhcpd checks pools only now and then, so earlier lines describe leases
# that no longer exist.) The drained 198.18.5.0/24 is left out: there the secondary hands
# backup leases back to the starved primary after the primary's line, so the line describes
# leases the journal no longer holds (free 0 backup 11 logged, free 5 backup 6 written).
"$lab" restart-primary "$work/lab"
own_figures() {
  sed -n '/^=== fostat: restarted ===$/,$p' "$work/lab/primary.log" | awk '
    ($1 == "balanced" || $1 == "IMBALANCED") && $2 == "pool" && $5 == "total" { last[$4] = $6 " " $8 " " $10 }
    END { for (s in last) print s, last[s] }' | grep -v '^198\.18\.5\.' | sort
}
deadline=$((SECONDS + 30))
until (($(own_figures | wc -l) == 2)); do
  ((SECONDS < deadline)) || fail "the restarted primary logged no balanced-pool figures for every scope within 30 s:"$'\n'"$(own_figures)"
  sleep 0.5
done
figures_ok=''
for attempt in $(seq 10); do
  ((attempt == 1)) || sleep 1
  before=$(own_figures)
  cp "$work/lab/primary.leases" "r$attempt.leases"
  [[ $(own_figures) == "$before" ]] || continue  # a check ran during the copy: copy again
  "$collect" --db "r$attempt.db" -q isc --config "$work/lab/dhcpd-primary.conf" \
    --leases "r$attempt.leases" --server primary 2>"r$attempt.err" || continue
  "$query" --db "r$attempt.db" samples --format csv | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["scope"] != "198.18.5.0/24" { print $col["scope"], $col["num_addr"], $col["this_addr_free"], $col["partner_addr_free"] }' |
    sort >"r$attempt.fostat"
  if [[ $(cat "r$attempt.fostat") == "$before" ]]; then
    figures_ok=$attempt
    break
  fi
done
[[ $figures_ok ]] || fail "the primary's own balanced-pool figures (scope total free backup) differ from fostat's num_addr this_addr_free partner_addr_free:"$'\n'"dhcpd:"$'\n'"$before"$'\n'"fostat:"$'\n'"$(cat "r$attempt.fostat" 2>/dev/null || cat "r$attempt.err")"
note "the restarted primary's own pool figures equal fostat's: $(tr '\n' ';' <<<"$before")"

note "$(cat fo-primary.csv fo-secondary.csv | grep -v '^timestamp' | cut -d, -f2,4-11 | tr '\n' ' ')"
note "pass: journals agreed on copy $settled, dhcpd-pools matched on every copy, the in-use split matched the logs, the drained pool is starved; $((SECONDS - start)) s"

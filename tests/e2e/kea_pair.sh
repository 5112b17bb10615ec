#!/usr/bin/env bash
# End-to-end: the `kea` source against a live Kea HA pair (tools/lab/kea-pair) in network
# namespaces, loaded by perfdhcp, compared with what the peers themselves answer.
#
#   bash tests/e2e/kea_pair.sh BIN_DIR [VERSION]
#
# BIN_DIR holds fostat-collect and fostat-query. VERSION: a Kea that tools/lab/kea-build has
# built into its cache (2.6.5, 3.2.0); without it, Debian 12's Kea 2.2. Needs root (network
# namespaces); exits 77 (skipped) with a message where namespaces cannot be created, or
# when Kea VERSION is not built here (building one takes 20 to 35 minutes, more than CI
# can spend). Installs kea-dhcp4-server, kea-ctrl-agent, kea-admin (perfdhcp), socat and jq
# if missing. The HTTP API is kea-ctrl-agent up to Kea 3.1.7, kea-dhcp4's own http control
# socket from 3.1.8; "the agent" below means whichever the lab runs.
#
# Part 1, load-balancing (pools of 198.18.1.0/24 and 198.18.3.0/24 split by the classes
# HA_server1/HA_server2, the pool of 198.18.5.0/24 shared). Before the load, one declined
# lease (state 1, lease4-add on both peers: HA does not replicate it) in 198.18.1.0/24 (in
# HA_server2's pool) and one in 198.18.5.0/24. The load: 200 clients in 198.18.1.0/24, 20
# relayed in 198.18.5.0/24, and 50 relayed clients in 198.18.3.0/24 whose MACs Kea's HA
# hash gives to server1, more than its 40 addresses there: server1's pool runs dry, server2's
# stays untouched. fostat collects server1 and server2 over their unix sockets, and server1
# once more through the agent with basic authentication (from inside the lab). Asserts:
#   1. per server and subnet, fostat's counters equal the figures the same peer gives at
#      the same moment: num_addr = stat-lease4-get total-addresses, addr_in_use =
#      assigned-addresses + declined-addresses (assigned-addresses alone from Kea 3.1.2),
#      addr_free the rest; this/partner free and in
#      use = the per-pool counts of lease4-get-all (state 0 and 1 in use) over the pools of
#      class HA_<this server> / HA_<partner>, NULL for the shared 198.18.5.0/24; mode
#      load-balance, role primary/secondary, the expected share from the pool sizes, state
#      normal with Kea's word (status-get) kept; the same through the agent;
#   2. Kea's hash is what the test thinks: every DHCP4_LEASE_ALLOC in each peer's log is of
#      a client whose client identifier (perfdhcp sends 01 + MAC) hashes to that peer
#      (RFC 3074 bucket even: server1, odd: server2), every such lease lies in that peer's
#      class pool, and every skewed client was leased by server1 only;
#   3. `fostat-query check` (partner-free, partner-in-use, sum-*, range) finds nothing, and
#      the test itself sees server1's this_* = server2's partner_* (and the reverse);
#   4. `fostat-query imbalance --scope 198.18.3.0/24` exits 2 with server1 starved and short
#      of free by 50 points, and nothing about server2.
# 1 and 3 need a moment where no lease moves: each try takes the peers' statistics before
# and after the collection and is repeated (every second, up to 20 s) while they differ or
# the two peers do not yet agree.
#
# Part 2, hot-standby (the same pair, no classes): 60 clients in 198.18.1.0/24 and 20 in
# 198.18.5.0/24; both peers collected and compared as in 1 (server1 active owns every free
# address and every lease in use, server2 standby none: its cumulative-assigned-addresses is
# 0) and `check` finds nothing. Then server2 is stopped (SIGTERM to its PID), and once
# server1's status-get says partner-down (HA's max-response-delay, 5 s in the lab) and it
# has leased 5 more clients alone: fostat stores server1's samples with state partner-down
# (Kea's word, canonical: source_state empty), role active and counters equal to its
# statistics again, while the collection from server2 exits 3 with one line naming its
# socket and the command, and stores nothing (samples and scopes unchanged, the run's row
# failed with 0 rows).
#
# Part 3, hub-and-spoke (Kea 2.6 and later only): branch1, the hub (hub1 towards branch1,
# hub2 towards branch2) and branch2, hot-standby, 60 clients of 198.18.1.0/24 (branch1's)
# and 30 of 198.18.3.0/24 (branch2's). All three collected until their leases are at rest
# and the hub holds what each branch holds; each compared with its own replies as in 1, each
# subnet's relationship (status-get matched by server-name) included, the hub's samples
# stored under hub1 and hub2. Then branch1 stops: the hub stores 198.18.1.0/24 in
# partner-down with the leases it made alone, and 198.18.3.0/24 still normal.
#
# Everything is torn down on exit, whatever happened. FOSTAT_E2E_KEEP=1 keeps the work
# directory (configs, replies, logs, databases).
set -euo pipefail

bin=$(cd "${1:?usage: $0 BIN_DIR [VERSION]}" && pwd)
version=${2:-}
collect=$bin/fostat-collect
query=$bin/fostat-query
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$root/tools/lab/kea-pair
kea=$root/tools/lab/kea-cmd
unset FOSTAT_DB

e2e_name=kea_pair${version:+_$version}
# shellcheck source=lib.bash
source "$root/tests/e2e/lib.bash"

# --- can this machine run it? ------------------------------------------------------------
require_netns_and kea-dhcp4-server kea-ctrl-agent kea-admin socat jq sqlite3
for c in kea-dhcp4 kea-ctrl-agent perfdhcp socat jq sqlite3; do
  command -v "$c" >/dev/null || fail "$c not found after installing its package"
done
"$collect" kea --help >/dev/null 2>&1 || fail "$collect has no kea command"
# The lab's options for the Kea under test, and how its stat-lease4-get counts declined
# leases (inside assigned-addresses from 3.1.2: docs/sources/kea.md, "Versions").
kea_option=() assigned_has_declined=false
if [[ $version ]]; then
  cache=${FOSTAT_KEA_CACHE:-/var/cache/fostat-lab/kea}/$version/kea.env
  [[ -f $cache ]] ||
    skip "Kea $version is not built on this machine ($cache is missing): build it with tools/lab/kea-build $version --source GIT_DIR (docs/sources/kea.md)"
  kea_option=(--kea "$version")
  IFS=. read -r major minor patch <<<"$version"
  ((major * 10000 + minor * 100 + patch >= 30102)) && assigned_has_declined=true
fi

work=$(mktemp -d)
cleanup() {
  local rc=$?
  "$lab" down "$work/lb" || true
  "$lab" down "$work/hs" || true
  "$lab" down "$work/hub" || true
  if ((rc != 0 && rc != 77)); then
    for f in "$work"/{lb,hs,hub}/server{1,2,3}.log; do
      [[ -f $f ]] || continue
      echo "--- $f: its last warnings, errors and HA state changes" >&2
      grep -E ' (WARN|ERROR|FATAL) |HA_STATE_TRANSITION' "$f" | grep -v ALLOC_ENGINE | tail -8 >&2 || true
    done
  fi
  leave_work "$rc"
}
enter_work

# perfdhcp exits 3 when some exchanges did not complete (in load-balancing only one peer
# answers each client, a client of a dry pool is not answered): expected. Anything else fails.
perf() {
  local ns=$1 out=$2
  shift 2
  local rc=0
  timeout 60 ip netns exec "$ns" perfdhcp -4 -l eth0 "$@" >"$out" 2>&1 || rc=$?
  ((rc == 0 || rc == 3)) || { cat "$out" >&2; fail "perfdhcp $* exited $rc"; }
}

# Kea's HA load balancing (Kea 2.2 src/hooks/dhcp/high_availability/query_filter.cc,
# QueryFilter::loadBalance): the RFC 3074 hash of the client identifier option's data when
# the query has one, else of chaddr; the peer is hash % 2 of the primary-first list (0:
# server1, 1: server2). Unlike dhcpd's `split`, so fostat-isc-gen's lists do not apply.
rfc3074=(251 175 119 215 81 14 79 191 103 49 181 143 186 157 0 232 31 32 55 60 152 58 17 237
  174 70 160 144 220 90 57 223 59 3 18 140 111 166 203 196 134 243 124 95 222 179 197 65 180
  48 36 15 107 46 233 130 165 30 123 161 209 23 97 16 40 91 219 61 100 10 210 109 250 127 22
  138 29 108 244 67 207 9 178 204 74 98 126 249 167 116 34 77 193 200 121 5 20 113 71 35 128
  13 182 94 25 226 227 199 75 27 41 245 230 224 43 225 177 26 155 150 212 142 218 115 241 73
  88 105 39 114 62 255 192 201 145 214 168 158 221 148 154 122 12 84 82 163 44 139 228 236
  205 242 217 11 187 146 159 64 86 239 195 42 106 198 118 112 184 172 87 2 173 117 176 229
  247 253 137 185 99 164 102 147 45 66 231 52 141 211 194 206 246 238 56 110 78 248 63 240
  189 93 92 51 53 183 19 171 72 50 33 104 101 69 8 252 83 120 76 135 85 54 202 125 188 213 96
  235 136 208 162 129 190 132 156 38 47 1 7 254 24 4 216 131 89 21 28 133 37 153 149 80 170
  68 6 169 234 151)
((${#rfc3074[@]} == 256)) || fail "the RFC 3074 table has ${#rfc3074[@]} values"
# The peer (server1 or server2) Kea's hash gives the key $1 (hex bytes joined by ':').
ha_peer() {
  local -a b
  IFS=: read -ra b <<<"$1"
  local h=$((${#b[@]} & 255)) i
  for ((i = ${#b[@]} - 1; i >= 0; i--)); do h=${rfc3074[h ^ 16#${b[i]}]}; done
  echo "server$((h % 2 + 1))"
}

# Kea's own figures for one server, as fostat should store them: from its config-get ($cfg),
# status-get ($status), stat-lease4-get ($stat) and lease4-get-all ($leases) replies, one
# line per subnet:
#   scope,num_addr,addr_free,addr_in_use,partner_addr_free,this_addr_free,
#   partner_addr_in_use,this_addr_in_use,role,expected_share,leases_in_use,server,state
# (an empty field is NULL; leases_in_use counts lease4-get-all's state 0 and 1 leases of
# the subnet, which must equal addr_in_use for the replies to be of one moment; server is
# the server's name in the subnet's relationship, state that relationship's status-get
# word). The relationship of a subnet: the only one, or on a hub the one whose
# this-server-name the subnet's user-context.ha-server-name gives.
cat >expect.jq <<'EOF'
def ip2n: split(".") | map(tonumber) | .[0] * 16777216 + .[1] * 65536 + .[2] * 256 + .[3];
def bounds: if test("/") then (split("/") as [$a, $l] | ($a | ip2n) as $s | [$s, $s + pow(2; 32 - ($l | tonumber)) - 1])
            else split("-") | map(gsub(" "; "") | ip2n) end;
def classes: [.["client-class"] // empty] + (.["client-classes"] // []);
def sum(f): reduce f as $x (0; . + $x);
$cfg[0].arguments.Dhcp4 as $d
| [$d["hooks-libraries"][] | .parameters["high-availability"]? // empty | .[]] as $rels
| $status[0].arguments["high-availability"] as $states
| $stat[0].arguments["result-set"] as $rs
| [$leases[0].arguments.leases[] | select(.state == 0 or .state == 1) | [.["subnet-id"], (.["ip-address"] | ip2n)]] as $used
| ($d.subnet4 + [$d["shared-networks"][]?.subnet4[]])[] as $s
| (if ($rels | length) == 1 then $rels[0]
   else $rels[] | select(.["this-server-name"] == $s["user-context"]["ha-server-name"]) end) as $ha
| $ha["this-server-name"] as $me
| ($ha.peers[] | select(.name == $me) | .role) as $role
| ($ha.peers[] | select(.name != $me) | .name) as $partner
| ([$states[] | select((.["ha-servers"].local["server-name"] // $me) == $me)][0]
   | .["ha-servers"].local.state) as $word
| ($rs.rows[] | select(.[0] == $s.id) | [$rs.columns, .] | transpose | map({(.[0]): .[1]}) | add) as $r
| ($r["assigned-addresses"] + (if $assigned_has_declined then 0 else $r["declined-addresses"] end)) as $in_use
| ($r["total-addresses"] - $in_use) as $free
| [$used[] | select(.[0] == $s.id) | .[1]] as $here
| [$s.pools[] | (.pool | bounds) as $b
   | { size: ($b[1] - $b[0] + 1), cls: classes, used: ([$here[] | select(. >= $b[0] and . <= $b[1])] | length) }] as $pools
| (if $ha.mode == "load-balancing" then
     [$pools[] | select(any(.cls[]; . == "HA_" + $me))] as $mine
     | [$pools[] | select(any(.cls[]; . == "HA_" + $partner))] as $theirs
     | if ($mine | length) + ($theirs | length) == ($pools | length) then
         { tf: (sum($mine[].size) - sum($mine[].used)), pf: (sum($theirs[].size) - sum($theirs[].used)),
           tu: sum($mine[].used), pu: sum($theirs[].used),
           share: (100 * sum($mine[].size) / (sum($mine[].size) + sum($theirs[].size))) }
       else { tf: null, pf: null, tu: null, pu: null, share: null } end
   elif $role == "primary" then { tf: $free, pf: 0, tu: $in_use, pu: 0, share: 100 }
   else ([$r["cumulative-assigned-addresses"], $in_use] | min) as $t
     | { tf: 0, pf: $free, tu: $t, pu: ($in_use - $t), share: 0 } end) as $x
| (if $ha.mode == "load-balancing" then $role elif $role == "primary" then "active" else "standby" end) as $shown
| [$s.subnet, $r["total-addresses"], $free, $in_use, $x.pf, $x.tf, $x.pu, $x.tu, $shown, $x.share, ($here | length), $me, $word]
| map(if . == null then "" else tostring end) | join(",")
EOF

# fostat's view of server $2 in database $1, in the same shape (without leases_in_use), and
# "state,source_state,server" after it (source_state is empty when Kea's word is the
# canonical one, as docs/cli.md says): the samples (the latest per scope) and `status` (role,
# state).
cat >stored.jq <<'EOF'
def s: if . == null then "" else tostring end;
($status[0] | map(select(.server == $server)) | map({(.scope): .}) | add // {}) as $st
| [.[] | select(.server == $server)] | group_by(.scope)[] | last
| [.scope, .num_addr, .addr_free, .addr_in_use, .partner_addr_free, .this_addr_free,
   .partner_addr_in_use, .this_addr_in_use, $st[.scope].role, $st[.scope].expected_share,
   $st[.scope].state, $st[.scope].source_state, .server]
| map(s) | join(",")
EOF
stored() {
  local db=$1 server=$2
  "$query" --db "$db" status --format json >"$db.status.json" 2>/dev/null || true
  "$query" --db "$db" samples --server "$server" --format json |
    jq -r --arg server "$server" --slurpfile status "$db.status.json" -f stored.jq
}

# snapshot SOCKET PREFIX: the replies of the server at SOCKET into
# PREFIX.{config-get,status-get,stat,leases}.json
snapshot() {
  local sock=$1 p=$2
  "$kea" "$sock" config-get >"$p.config-get.json"
  "$kea" "$sock" status-get >"$p.status-get.json"
  "$kea" "$sock" lease4-get-all >"$p.leases.json"
  "$kea" "$sock" stat-lease4-get >"$p.stat.json"
}
stat_rows() { "$kea" "$1" stat-lease4-get | jq -c '.arguments["result-set"].rows'; }
ha_state() { jq -r '.arguments["high-availability"][0]["ha-servers"].local.state' "$1"; }

# compare DB SERVERS PREFIX [LABEL]: fostat's samples of SERVERS (its names, one per
# relationship: "hub1 hub2" for the hub) in DB against Kea's replies PREFIX.* (snapshot).
# Prints one line per difference; "moving" when Kea's own replies disagree (lease4-get-all
# against stat-lease4-get: leases moved between the two).
compare() {
  local db=$1 servers=$2 p=$3 label=${4:-$2} server
  jq -r -n --slurpfile cfg "$p.config-get.json" --slurpfile stat "$p.stat.json" \
    --slurpfile status "$p.status-get.json" --slurpfile leases "$p.leases.json" \
    --argjson assigned_has_declined "$assigned_has_declined" -f expect.jq >"$p.expected" ||
    { echo "jq could not read $label's replies $p.*.json"; return; }
  for server in $servers; do stored "$db" "$server"; done >"$p.stored"
  awk -F, -v server="$label" '
    function normalised(word) {
      if (word == "load-balancing" || word == "hot-standby" || word == "passive-backup") return "normal"
      return word == "partner-down" ? word : "?" word
    }
    BEGIN { split("num_addr addr_free addr_in_use partner_addr_free this_addr_free partner_addr_in_use this_addr_in_use role expected_share", name, " ") }
    FILENAME == ARGV[1] { want[$1] = $0; if ($11 != $4) moving = 1; next }
    {
      got[$1] = 1
      if (!($1 in want)) { printf "%s %s: fostat has a sample of a subnet Kea does not have\n", server, $1; next }
      split(want[$1], w, ",")
      bad = ""
      for (i = 2; i <= 10; i++)
        if ($i != w[i] && !(i == 10 && w[i] == "")) bad = bad sprintf(" %s %s (Kea %s)", name[i - 1], $i == "" ? "NULL" : $i, w[i] == "" ? "NULL" : w[i])
      word = w[13]
      state = normalised(word)
      if ($11 != state || $12 != (word == state ? "" : word))
        bad = bad sprintf(" state %s, source_state \"%s\" (Kea %s)", $11, $12, word)
      if ($13 != w[12]) bad = bad sprintf(" stored under %s (Kea: %s)", $13, w[12])
      if (bad != "") printf "%s %s: fostat%s\n", server, $1, bad
    }
    END {
      if (moving) { print "moving"; exit }
      for (s in want) if (!(s in got)) printf "%s %s: no fostat sample of this subnet\n", server, s
    }' "$p.expected" "$p.stored"
}

# partner_check DB: server1's this_* = server2's partner_* and the reverse, per scope with a
# split (the test's own reading of the partner rules).
partner_check() {
  "$query" --db "$1" samples --format json | jq -r '
    group_by(.scope)[] | map({(.server): .}) | add as $s | select($s.server1.this_addr_free != null)
    | ($s.server1 | [.this_addr_free, .partner_addr_free, .this_addr_in_use, .partner_addr_in_use]) as $a
    | ($s.server2 | [.partner_addr_free, .this_addr_free, .partner_addr_in_use, .this_addr_in_use]) as $b
    | select($a != $b)
    | "\($s.server1.scope): server1 this/partner free and in use \($a | map(tostring) | join("/")), server2 partner/this \($b | map(tostring) | join("/"))"'
}

rules=(--rule partner-free --rule partner-in-use --rule sum-total --rule sum-free --rule sum-in-use --rule range)

# collect_settled DB_PREFIX URL_TOO: collects both peers of the lab whose lab.env was read
# last (and server1 through its agent when URL_TOO) until a try finds the leases at rest and
# the peers in agreement; compares every try. Sets $db (the settled try's database) and
# $settled.
collect_settled() {
  local pre=$1 url_too=$2 attempt diffs
  settled=''
  for attempt in $(seq 20); do
    ((attempt == 1)) || sleep 1
    db=$pre$attempt.db
    local before1 before2
    before1=$(stat_rows "$SOCKET1") before2=$(stat_rows "$SOCKET2")
    "$collect" --db "$db" -q kea --socket "$SOCKET1" 2>"$db.err1" ||
      { cat "$db.err1" >&2; fail "fostat-collect kea --socket $SOCKET1 failed"; }
    "$collect" --db "$db" -q kea --socket "$SOCKET2" 2>"$db.err2" ||
      { cat "$db.err2" >&2; fail "fostat-collect kea --socket $SOCKET2 failed"; }
    if [[ $url_too ]]; then
      ip netns exec "$NS_CLIENT" "$collect" --db "ca-$db" -q kea --url "$URL1" --auth-file "$AUTH_FILE1" 2>"ca-$db.err" ||
        { cat "ca-$db.err" >&2; fail "fostat-collect kea --url $URL1 --auth-file $AUTH_FILE1 failed"; }
    fi
    snapshot "$SOCKET1" "$db.s1"
    snapshot "$SOCKET2" "$db.s2"
    if [[ $before1 != "$(stat_rows "$SOCKET1")" || $before2 != "$(stat_rows "$SOCKET2")" ]]; then
      note "try $attempt: the statistics moved during the collection, again"
      continue
    fi
    diffs=$(compare "$db" server1 "$db.s1"; compare "$db" server2 "$db.s2"
            [[ -z $url_too ]] || compare "ca-$db" server1 "$db.s1" "server1 (through the HTTP API)")
    if grep -qx moving <<<"$diffs"; then
      note "try $attempt: lease4-get-all and stat-lease4-get disagree (leases moving), again"
      continue
    fi
    [[ -z $diffs ]] || fail "fostat and Kea's own figures differ (try $attempt, replies in $db.s{1,2}.*):"$'\n'"$diffs"
    local rc=0 partner nulls skipped_free skipped_in_use
    "$query" --db "$db" check "${rules[@]}" >"$db.check" 2>&1 || rc=$?
    partner=$(partner_check "$db")
    # check pairs samples no further apart than the collection interval: with one sample
    # each, of the same second only. A try whose two collections straddled a second
    # boundary has its partner rules skipped (as they should be), which proves nothing:
    # again. The scopes without a split are skipped in any case.
    nulls=$("$query" --db "$db" samples --server server1 --format json | jq '[.[] | select(.this_addr_free == null)] | length')
    skipped_free=$(grep -o 'partner-free [0-9]*' "$db.check" | cut -d' ' -f2 || true)
    skipped_in_use=$(grep -o 'partner-in-use [0-9]*' "$db.check" | cut -d' ' -f2 || true)
    if ((${skipped_free:-0} != nulls || ${skipped_in_use:-0} != nulls)); then
      note "try $attempt: check skipped the partner rules on ${skipped_free:-0}/${skipped_in_use:-0} scopes, not only the $nulls without a split (the peers' samples are a second apart?), again"
      continue
    fi
    if ((rc == 0)) && grep -q '^(no results)' "$db.check" && [[ -z $partner ]]; then
      settled=$attempt
      return
    fi
    note "try $attempt: the peers disagree (lease updates in flight?), again"
    cat "$db.check"
    [[ -z $partner ]] || echo "$partner"
  done
  cat "$db.check" >&2
  [[ -z ${partner:-} ]] || echo "$partner" >&2
  fail "the two peers' samples did not agree within 20 tries ($((SECONDS - start)) s)"
}

# lab_up NAME MODE: the lab $work/NAME up in MODE with the Kea under test, its lab.env read.
lab_up() {
  "$lab" up "$work/$1" --mode "$2" "${kea_option[@]}"
  # shellcheck disable=SC1090,SC1091
  source "$work/$1/lab.env"
}

# ============================ part 1: load-balancing ======================================
lab_up lb load-balancing
note "load-balancing pair up after $((SECONDS - start)) s"

# Declined leases, on both peers (lease4-add is not replicated), before the load so that no
# client gets those addresses: 198.18.1.249 in HA_server2's pool, 198.18.5.59 in the shared.
for sock in "$SOCKET1" "$SOCKET2"; do
  for lease in 198.18.1.249,0a:00:00:00:01:f9,1 198.18.5.59,0a:00:00:00:05:3b,5; do
    IFS=, read -r ip mac id <<<"$lease"
    reply=$("$kea" "$sock" lease4-add "{ \"ip-address\": \"$ip\", \"hw-address\": \"$mac\", \"subnet-id\": $id, \"state\": 1 }")
    [[ $reply == *'"result": 0'* ]] || fail "lease4-add $ip on $sock: $reply"
  done
done

# 50 MACs whose client identifier 01+MAC Kea's hash gives to server1 (perfdhcp sends that
# identifier: checked below in the leases): 10 more than server1's 40 addresses in
# 198.18.3.0/24.
: >skew.macs
for ((i = 0, n = 0; n < 50; i++)); do
  mac=$(printf '00:0c:03:00:%02x:%02x' $((i >> 8)) $((i & 255)))
  [[ $(ha_peer "01:$mac") == server1 ]] || continue
  echo "$mac" >>skew.macs
  n=$((n + 1))
done

# The three loads at once, from their own namespaces: 200 clients of 198.18.1.0/24 ...
perf "$NS_CLIENT" perf1.out -r 100 -R 200 -n 400 -p 20 &
p1=$!
# ... the 50 skewed clients of 198.18.3.0/24 (perfdhcp -M picks a MAC of the list at random
# for each exchange, and silently ignores a missing file: the path is absolute) ...
perf "$NS_RELAY" perf3.out -r 100 -n 250 -p 20 -M "$work/skew.macs" &
p3=$!
# ... and 20 clients of the shared pool of 198.18.5.0/24.
perf "$NS_RELAY2" perf5.out -r 50 -R 20 -n 60 -p 20 -b mac=00:0c:05:00:00:00 &
p5=$!
wait $p1 || exit 1
wait $p3 || exit 1
wait $p5 || exit 1
note "load done after $((SECONDS - start)) s"

collect_settled lb url
lb_db=$db
note "load-balancing: both peers and the agent agree with Kea's figures (try $settled); check: $(grep '^skipped' "$db.check" || true)"

# The load reached the pools (so the comparison was not of empty ones).
jq -r '.[] | select(.server == "server1") | "\(.scope) \(.addr_in_use) \(.this_addr_free) \(.partner_addr_free)"' \
  <("$query" --db "$db" samples --format json) >lb-in-use.txt
while read -r scope used tf pf; do
  case $scope in
    198.18.1.0/24) ((used >= 150)) || fail "only $used addresses in use in $scope after 200 clients" ;;
    198.18.3.0/24) ((used == 40 && tf == 0 && pf == 40)) ||
      fail "$scope not drained on server1 by the skewed clients: in use $used, server1 free $tf, server2 free $pf (expected 40, 0, 40)" ;;
    198.18.5.0/24) ((used >= 15)) || fail "only $used addresses in use in $scope after 20 clients" ;;
  esac
done <lb-in-use.txt

# (2) Kea's hash as the test computes it against what each peer did: its log's allocations
# are all of its own clients, in its class pool; the skewed clients are server1's only.
for n in 1 2; do
  grep -o 'DHCP4_LEASE_ALLOC \[hwtype=1 [0-9a-f:]*\], cid=\[[0-9a-f:]*\], tid=0x[0-9a-f]*: lease [0-9.]*' \
    "$work/lb/server$n.log" | awk '{ gsub(/[][,]|cid=/, ""); print $3, $4, $7 }' >alloc$n.txt
  (($(wc -l <alloc$n.txt) > 50)) || fail "server$n's log has only $(wc -l <alloc$n.txt) DHCP4_LEASE_ALLOC lines"
  bad=$(while read -r mac cid ip; do
          [[ $cid == "01:$mac" ]] || { echo "$ip: client identifier $cid, not 01:$mac (perfdhcp's default)"; continue; }
          peer=$(ha_peer "$cid")
          [[ $peer == "server$n" ]] || { echo "$ip: allocated by server$n to $mac, which hashes to $peer"; continue; }
          last=${ip##*.}
          case $ip in
            198.18.1.*) pool=$((last <= 129 ? 1 : 2)) ;;
            198.18.3.*) pool=$((last <= 49 ? 1 : 2)) ;;
            *) continue ;;
          esac
          [[ $pool == "$n" ]] || echo "$ip: allocated by server$n from the pool of HA_server$pool"
        done <alloc$n.txt)
  [[ -z $bad ]] || fail "server$n's allocations contradict Kea's HA hash as computed here:"$'\n'"$(head -10 <<<"$bad")"
done
! grep -q ' 198\.18\.3\.' alloc2.txt || fail "server2 leased in 198.18.3.0/24, where every client hashes to server1"
fails1=$(grep -c 'ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET.*198.18.3.0/24' "$work/lb/server1.log" || true)
((fails1 > 0)) || fail "server1's log has no ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET for 198.18.3.0/24: the skewed clients did not drain it"
note "Kea's hash: $(wc -l <alloc1.txt) allocations of server1, $(wc -l <alloc2.txt) of server2, all of their own clients and class pools; server1 could not serve $fails1 requests in 198.18.3.0/24"

# (4) The skew shows in `imbalance`.
assert_starved "$lb_db" 198.18.3.0/24 server1 server2
note "load-balancing: $(jq -r '.[] | "\(.server) \(.scope) \(.num_addr)/\(.addr_free)/\(.addr_in_use) free \(.this_addr_free)+\(.partner_addr_free) in use \(.this_addr_in_use)+\(.partner_addr_in_use);"' \
  <("$query" --db "$lb_db" samples --format json) | tr '\n' ' ')"
"$lab" down "$work/lb"

# ============================ part 2: hot-standby =========================================
lab_up hs hot-standby
note "hot-standby pair up after $((SECONDS - start)) s"
perf "$NS_CLIENT" hs1.out -r 100 -R 60 -n 120 -p 20 &
p1=$!
perf "$NS_RELAY2" hs5.out -r 50 -R 20 -n 60 -p 20 -b mac=00:0c:05:00:00:00 &
p5=$!
wait $p1 || exit 1
wait $p5 || exit 1
collect_settled hs ''
hs_db=$db
read -r used1 < <(jq -r '.[] | select(.server == "server1" and .scope == "198.18.1.0/24") | .addr_in_use' \
  <("$query" --db "$hs_db" samples --format json))
((used1 >= 40)) || fail "only $used1 addresses in use in 198.18.1.0/24 after 60 clients in hot-standby"
note "hot-standby: both peers agree with Kea's figures (try $settled)"

# server2 stops; server1 notices (heartbeat-delay 1 s, max-response-delay 5 s).
"$query" --db "$hs_db" samples --server server2 --format csv >server2-before.csv
"$query" --db "$hs_db" scopes --server server2 --format csv >scopes2-before.csv
kill -TERM "$SERVER2_PID"
stopped=$SECONDS
deadline=$((SECONDS + 30))
while kill -0 "$SERVER2_PID" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "server2 (pid $SERVER2_PID) did not stop within 30 s of SIGTERM"
  sleep 0.2
done
until "$kea" "$SOCKET1" status-get >s1-status.json && [[ $(ha_state s1-status.json) == partner-down ]]; do
  ((SECONDS < deadline)) || fail "server1 did not reach partner-down within 30 s of server2's stop (state: $(ha_state s1-status.json))"
  sleep 0.5
done
note "server1 partner-down $((SECONDS - stopped)) s after server2 stopped"
# Five new clients, served by server1 alone.
perf "$NS_RELAY2" hs5b.out -r 20 -R 5 -n 20 -p 10 -b mac=00:0c:05:01:00:00

rc=0
"$collect" --db "$hs_db" -q kea --socket "$SOCKET1" 2>pd1.err || rc=$?
((rc == 0)) || { cat pd1.err >&2; fail "fostat-collect from the surviving server1 exited $rc"; }
snapshot "$SOCKET1" pd.s1
diffs=$(compare "$hs_db" server1 pd.s1)
[[ $diffs != moving ]] || fail "server1's leases moved while nothing was loading it"
[[ -z $diffs ]] || fail "fostat and server1's own figures differ in partner-down:"$'\n'"$diffs"
# (compare checked the state word: partner-down is canonical, so source_state is empty)
read -r used5 < <(jq -r '.[] | select(.server == "server1" and .scope == "198.18.5.0/24") | .addr_in_use' \
  <("$query" --db "$hs_db" samples --server server1 --format json | jq '[group_by(.scope)[] | last]'))

# The collection from the stopped server2 fails: exit 3, one line naming it and the command.
rc=0
"$collect" --db "$hs_db" kea --socket "$SOCKET2" >pd2.out 2>pd2.err || rc=$?
((rc == 3)) || { cat pd2.out pd2.err >&2; fail "fostat-collect from the stopped server2 exited $rc, expected 3"; }
(($(wc -l <pd2.err) == 1)) || { cat pd2.err >&2; fail "fostat-collect from the stopped server2 wrote $(wc -l <pd2.err) lines on stderr, expected one"; }
grep -qF "$SOCKET2" pd2.err || fail "the error does not name server2's socket $SOCKET2: $(cat pd2.err)"
grep -qE '(version-get|config-get|status-get|stat-lease4-get|lease4-get-page)' pd2.err ||
  fail "the error does not name the Kea command: $(cat pd2.err)"
"$query" --db "$hs_db" samples --server server2 --format csv | cmp -s - server2-before.csv ||
  fail "the failed collection from server2 stored samples: $(diff server2-before.csv <("$query" --db "$hs_db" samples --server server2 --format csv))"
"$query" --db "$hs_db" scopes --server server2 --format csv | cmp -s - scopes2-before.csv ||
  fail "the failed collection from server2 changed fostat-query scopes"
run=$(sqlite3 -separator ' ' "$hs_db" 'SELECT status, rows FROM runs ORDER BY id DESC LIMIT 1')
[[ $run == 'failed 0' ]] || fail "the last run in $hs_db is '$run', expected 'failed 0' (a failure row and no samples)"
note "stopped server2: exit 3, \"$(cat pd2.err)\"; nothing stored"
note "hot-standby after partner-down: server1 198.18.5.0/24 in use $used5; $(jq -r '.[] | select(.server == "server1") | "\(.scope) \(.state)/\(.source_state) \(.role)"' "$hs_db.status.json" | tr '\n' ';')"
"$lab" down "$work/hs"

# ============================ part 3: hub-and-spoke (Kea 2.6 and later) ===================
if [[ -z $version ]]; then
  note "pass (Kea 2.2 has no hub-and-spoke); $((SECONDS - start)) s"
  exit 0
fi
lab_up hub hub-and-spoke
note "hub-and-spoke up after $((SECONDS - start)) s: branch1, the hub (hub1, hub2), branch2"
perf "$NS_CLIENT" hub1.out -r 100 -R 60 -n 120 -p 20 &
p1=$!
perf "$NS_RELAY" hub3.out -r 50 -R 30 -n 60 -p 20 -b mac=00:0c:03:00:00:00 &
p3=$!
wait $p1 || exit 1
wait $p3 || exit 1

# The three servers, collected until a try finds their leases at rest and the hub holding
# what each branch holds (lease updates reach the hub a moment after the branch leased).
# hub_try DB: collects and compares; prints the differences.
sockets=("$SOCKET1" "$SOCKET2" "$SOCKET3")
hub_try() {
  local db=$1 before='' after='' i
  for i in 0 1 2; do before+=$(stat_rows "${sockets[i]}"); done
  for i in 0 1 2; do
    "$collect" --db "$db" -q kea --socket "${sockets[i]}" 2>"$db.err$i" ||
      { cat "$db.err$i" >&2; fail "fostat-collect kea --socket ${sockets[i]} failed"; }
  done
  snapshot "$SOCKET1" "$db.b1"
  snapshot "$SOCKET2" "$db.hub"
  snapshot "$SOCKET3" "$db.b2"
  for i in 0 1 2; do after+=$(stat_rows "${sockets[i]}"); done
  [[ $before == "$after" ]] || { echo moving; return; }
  compare "$db" branch1 "$db.b1"
  compare "$db" "hub1 hub2" "$db.hub" hub
  compare "$db" branch2 "$db.b2"
  # The hub's view of each subnet is its branch's.
  "$query" --db "$db" samples --format json | jq -r '
    map({(.server): .}) | add as $s
    | [["branch1", "hub1"], ["branch2", "hub2"]][] as [$b, $h]
    | select($s[$b].addr_in_use != $s[$h].addr_in_use or $s[$b].scope != $s[$h].scope)
    | "\($h): \($s[$h].scope) in use \($s[$h].addr_in_use), \($b): \($s[$b].scope) in use \($s[$b].addr_in_use)"'
}
for attempt in $(seq 20); do
  ((attempt == 1)) || sleep 1
  db=hub$attempt.db
  diffs=$(hub_try "$db")
  if grep -qx moving <<<"$diffs"; then note "try $attempt: leases moving, again"; continue; fi
  if [[ -z $diffs ]]; then settled=$attempt; break; fi
  note "try $attempt: $(tr '\n' ';' <<<"$diffs")"
done
[[ ${settled:-} && $db == hub$settled.db ]] || fail "the hub and its branches did not agree with Kea's figures within 20 tries:"$'\n'"$diffs"
hub_db=$db
# Each subnet under its own relationship on the hub, and on its branch.
relationships=$("$query" --db "$hub_db" samples --format json |
  jq -r 'sort_by(.server) | map("\(.server) \(.scope) \(.relationship) \(.state)") | join(";")')
want="branch1 198.18.1.0/24 branch1-hub1 normal;branch2 198.18.3.0/24 branch2-hub2 normal;hub1 198.18.1.0/24 branch1-hub1 normal;hub2 198.18.3.0/24 branch2-hub2 normal"
[[ $relationships == "$want" ]] || fail "samples of the hub-and-spoke lab: $relationships; expected $want"
note "hub-and-spoke: the three servers agree with Kea's figures (try $settled): $relationships"

# branch1 stops: the hub takes over its relationship only.
kill -TERM "$SERVER1_PID"
deadline=$((SECONDS + 30))
until "$kea" "$SOCKET2" status-get >hub-status.json &&
      [[ $(jq -r '.arguments["high-availability"][] | select(.["ha-servers"].local["server-name"] == "hub1") | .["ha-servers"].local.state' hub-status.json) == partner-down ]]; do
  ((SECONDS < deadline)) || fail "the hub did not reach partner-down with branch1 within 30 s of its stop"
  sleep 0.5
done
perf "$NS_CLIENT" hub1b.out -r 20 -R 5 -n 20 -p 10 -b mac=00:0c:01:01:00:00 # served by the hub alone
"$collect" --db "$hub_db" -q kea --socket "$SOCKET2" 2>hub-pd.err || { cat hub-pd.err >&2; fail "fostat-collect from the hub failed after branch1 stopped"; }
snapshot "$SOCKET2" hub-pd
diffs=$(compare "$hub_db" "hub1 hub2" hub-pd hub)
[[ $diffs != moving ]] || fail "the hub's leases moved while nothing was loading it"
[[ -z $diffs ]] || fail "fostat and the hub's own figures differ after branch1 stopped:"$'\n'"$diffs"
states=$("$query" --db "$hub_db" samples --format json |
  jq -r '[group_by(.server)[] | last | select(.server | startswith("hub"))] | map("\(.server) \(.state) \(.this_addr_in_use)") | join(";")')
[[ $states == "hub1 partner-down "[1-9]*";hub2 normal 0" ]] ||
  fail "the hub after branch1 stopped: $states; expected hub1 partner-down with its own leases, hub2 normal"
note "branch1 stopped: the hub's samples $states"
"$lab" down "$work/hub"
note "pass; $((SECONDS - start)) s"

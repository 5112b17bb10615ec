#!/usr/bin/env bash
# Recaptures the Kea 2.2 replies in this directory from a live tools/lab/kea-pair lab.
#
#   bash tests/data/kea-lab/capture.sh [OUT_DIR]     (default: this directory; needs root)
#
# For each mode: lab up, perfdhcp load (200 + 50 + 40 clients, the last two relayed), two
# declined leases added with lease4-add on both peers, then every reply saved byte for
# byte as Kea sent it (no trailing newline added). See README.md for the list of files.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
lab=$root/tools/lab/kea-pair
kea=$root/tools/lab/kea-cmd
# A fixed work directory, so that the paths inside config-get replies are predictable.
work=/tmp/fostat-kea-lab
"$root/tools/install-deps" iproute2 kea-dhcp4-server kea-ctrl-agent kea-admin socat

cleanup() {
  local rc=$?
  [[ ! -f $work/bare/pid ]] || kill "$(cat "$work/bare/pid")" 2>/dev/null || true
  for m in load-balancing hot-standby; do "$lab" down "$work/$m" || true; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$work"
mkdir -p "$work"

# note, save, save_pages, save_server, add_declined, perf, ha_states, wait_states
# shellcheck source-path=SCRIPTDIR source=../kea-capture.bash
source "$here/../kea-capture.bash"

for mode in load-balancing hot-standby; do
  d=$out/$mode
  mkdir -p "$d"
  "$lab" up "$work/$mode" --mode "$mode"
  # shellcheck disable=SC1090
  source "$work/$mode/lab.env"
  perf "$NS_CLIENT" -r 50 -R 200 -n 400 -p 20
  perf "$NS_RELAY" -r 20 -R 50 -n 120 -p 15 -b mac=00:0c:03:00:00:00
  perf "$NS_RELAY2" -r 20 -R 40 -n 100 -p 15 -b mac=00:0c:05:00:00:00
  sleep 2 # lease updates to the partner
  # Two declined leases (state 1), the same on both peers (lease4-add is not replicated):
  # addresses the load left free in either mode.
  for sock in "$SOCKET1" "$SOCKET2"; do
    add_declined "$sock" 198.18.1.249 0a:00:00:00:01:f9 1
    add_declined "$sock" 198.18.5.59 0a:00:00:00:05:3b 5
  done

  for n in 1 2; do
    sock=$work/$mode/server$n.sock
    s=$d/server$n
    save_server "$s" "$sock"
    cp "$work/$mode/server$n.leases4.csv" "$s.leases4.csv"
  done
  save "$d/server1.stat-lease4-get.subnet-5.json" "$SOCKET1" stat-lease4-get '{ "subnet-id": 5 }'
  cp "$work/$mode/server1.json" "$d/server1.kea-dhcp4.json"
  cp "$work/$mode/server2.json" "$d/server2.kea-dhcp4.json"

  # Through server1's kea-ctrl-agent: the reply list, and the whole HTTP exchange.
  in_lab() { ip netns exec "$NS_CLIENT" "$@"; }
  in_lab "$kea" --auth-file "$AUTH_FILE1" "$URL1" status-get >"$d/server1.ca.status-get.json"
  in_lab "$kea" --auth-file "$AUTH_FILE1" "$URL1" stat-lease4-get >"$d/server1.ca.stat-lease4-get.json"
  in_lab "$kea" --raw --auth-file "$AUTH_FILE1" "$URL1" stat-lease4-get >"$d/server1.ca.stat-lease4-get.http"

  # The partner stops: the survivor moves to partner-down after max-response-delay (5 s).
  kill -TERM "$SERVER2_PID"
  wait_states "$SOCKET1" partner-down
  perf "$NS_RELAY2" -r 10 -R 5 -n 20 -p 5 -b mac=00:0c:05:01:00:00 # served by server1 alone
  pd=$d/partner-down.server1
  save "$pd.status-get.json" "$SOCKET1" status-get
  save "$pd.ha-heartbeat.json" "$SOCKET1" ha-heartbeat
  save "$pd.stat-lease4-get.json" "$SOCKET1" stat-lease4-get
  save "$pd.statistic-get-all.json" "$SOCKET1" statistic-get-all
  save "$pd.lease4-get-page.1.json" "$SOCKET1" lease4-get-page '{ "from": "start", "limit": 100 }'
  # The HA hook's log lines (state transitions, lease syncing) of both peers.
  grep -h 'ha-hooks' "$work/$mode/server1.log" >"$d/server1.ha.log" || true
  grep -h 'ha-hooks' "$work/$mode/server2.log" >"$d/server2.ha.log" || true

  if [[ $mode == hot-standby ]]; then
    # --- errors ---------------------------------------------------------------------------
    e=$out/errors
    mkdir -p "$e"
    save "$e/unknown-command.json" "$SOCKET1" no-such-command
    save "$e/lease4-get-page.limit-0.json" "$SOCKET1" lease4-get-page '{ "from": "start", "limit": 0 }'
    save "$e/lease4-get-page.bad-from.json" "$SOCKET1" lease4-get-page '{ "from": "nowhere", "limit": 10 }'
    save "$e/lease4-get.not-found.json" "$SOCKET1" lease4-get '{ "ip-address": "198.18.1.9" }'
    save "$e/stat-lease4-get.no-subnet.json" "$SOCKET1" stat-lease4-get '{ "subnet-id": 99 }'
    printf 'not json' | socat -t 10 - "UNIX-CONNECT:$SOCKET1" >"$e/not-json.json"
    in_lab "$kea" --raw --auth-file "$AUTH_FILE1" "$URL1" no-such-command >"$e/ca.unknown-command.http"
    in_lab "$kea" --raw --auth-file "$AUTH_FILE1" --service '' "$URL1" stat-lease4-get >"$e/ca.no-service.http"
    in_lab "$kea" --raw --auth-file "$AUTH_FILE1" --service dhcp6 "$URL1" stat-lease4-get >"$e/ca.dhcp6-not-configured.http"
    printf 'fostat:wrong-password' >"$work/bad-auth"
    in_lab "$kea" --raw --auth-file "$work/bad-auth" "$URL1" status-get >"$e/ca.401.bad-password.http"
    in_lab "$kea" --raw "$URL1" status-get >"$e/ca.401.no-credentials.http"
    # A kea-dhcp4 without hooks (no HA, no lease_cmds, no stat_cmds), no interfaces, its
    # control socket only, in the client namespace.
    mkdir -p "$work/bare"
    cat >"$work/bare/bare.json" <<EOF
{ "Dhcp4": { "interfaces-config": { "interfaces": [ ] },
  "control-socket": { "socket-type": "unix", "socket-name": "$work/bare/bare.sock" },
  "lease-database": { "type": "memfile", "persist": false },
  "subnet4": [ { "id": 1, "subnet": "198.18.1.0/24", "pools": [ { "pool": "198.18.1.10 - 198.18.1.129" } ] } ] } }
EOF
    KEA_PIDFILE_DIR=$work/bare KEA_LOCKFILE_DIR=$work/bare ip netns exec "$NS_CLIENT" \
      kea-dhcp4 -c "$work/bare/bare.json" </dev/null >"$work/bare/log" 2>&1 &
    echo $! >"$work/bare/pid"
    for _ in $(seq 50); do [[ -S $work/bare/bare.sock ]] && break; sleep 0.1; done
    save "$e/no-hooks.stat-lease4-get.json" "$work/bare/bare.sock" stat-lease4-get
    save "$e/no-hooks.lease4-get-page.json" "$work/bare/bare.sock" lease4-get-page '{ "from": "start", "limit": 100 }'
    save "$e/no-hooks.lease4-get-all.json" "$work/bare/bare.sock" lease4-get-all
    save "$e/no-hooks.ha-heartbeat.json" "$work/bare/bare.sock" ha-heartbeat
    save "$e/no-hooks.status-get.json" "$work/bare/bare.sock" status-get
    save "$e/no-hooks.statistic-get-all.json" "$work/bare/bare.sock" statistic-get-all
    kill "$(cat "$work/bare/pid")"
    rm -f "$work/bare/pid"
  fi
  "$lab" down "$work/$mode"
done
kea-dhcp4 -V | head -1 >"$out/kea-version.txt"
note "done: $out"

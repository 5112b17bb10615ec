#!/usr/bin/env bash
# Captures the replies of Kea releases built from ISC's source (tools/lab/kea-build) from live
# tools/lab/kea-pair labs, as tests/data/kea-lab/capture.sh does for Debian's Kea 2.2.
#
#   bash tests/data/kea-versions/capture.sh [OUT_DIR] [VERSION...]
#        (default: this directory, 2.6.5 and 3.2.0; needs root and the releases built)
#
# For each VERSION and each mode (load-balancing, hot-standby, hub-and-spoke): lab up,
# perfdhcp load (the 2.2 capture's counts), two declined leases added with lease4-add on the
# servers that own their subnets, then every reply saved byte for byte as Kea sent it into
# OUT_DIR/VERSION/MODE/ (the file names of tests/data/kea-lab), server1's also through its HTTP
# control channel; then one server stops and its partner is captured in partner-down. See
# README.md for the files and the topology.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
shift $(($# ? 1 : 0))
versions=("$@")
((${#versions[@]})) || versions=(2.6.5 3.2.0)
lab=$root/tools/lab/kea-pair
kea=$root/tools/lab/kea-cmd
# A fixed work directory, so that the paths inside config-get replies are predictable.
work=/tmp/fostat-kea-versions
modes=(load-balancing hot-standby hub-and-spoke)
# perfdhcp and kea-ctrl-agent (2.6.5's HTTP channel) are Debian's.
"$root/tools/install-deps" iproute2 kea-ctrl-agent kea-admin socat

# note, save, save_pages, save_server, add_declined, perf, ha_states, wait_states
# shellcheck source-path=SCRIPTDIR source=../kea-capture.bash
source "$here/../kea-capture.bash"

cleanup() {
  local rc=$? v m
  for v in "${versions[@]}"; do
    for m in "${modes[@]}"; do "$lab" down "$work/$v/$m" || true; done
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$work"

# The load, as in the 2.2 capture: 200 clients in subnet 1 from the client namespace, 50 in
# subnet 3 through the relay namespace; in the pair modes also 40 in subnet 5.
load() {
  perf "$NS_CLIENT" -r 50 -R 200 -n 400 -p 20
  perf "$NS_RELAY" -r 20 -R 50 -n 120 -p 15 -b mac=00:0c:03:00:00:00
  [[ $mode == hub-and-spoke ]] || perf "$NS_RELAY2" -r 20 -R 40 -n 100 -p 15 -b mac=00:0c:05:00:00:00
  sleep 2 # lease updates to the partner
}

# Two declined leases (state 1), on every server that has their subnet (lease4-add is not
# replicated by HA): addresses the load leaves free.
decline() {
  if [[ $mode == hub-and-spoke ]]; then
    local sock
    for sock in "$SOCKET1" "$SOCKET2"; do add_declined "$sock" 198.18.1.249 0a:00:00:00:01:f9 1; done
    for sock in "$SOCKET3" "$SOCKET2"; do add_declined "$sock" 198.18.3.89 0a:00:00:00:03:59 3; done
  else
    for sock in "$SOCKET1" "$SOCKET2"; do
      add_declined "$sock" 198.18.1.249 0a:00:00:00:01:f9 1
      add_declined "$sock" 198.18.5.59 0a:00:00:00:05:3b 5
    done
  fi
}

# server1 through its HTTP control channel (kea-ctrl-agent, or kea-dhcp4 itself from 3.1.8),
# from the client namespace: what fostat --url reads, and one whole HTTP exchange.
save_http() {
  local p=$1/server1.ca c
  local -a via=(--auth-file "$AUTH_FILE1" "$URL1")
  for c in version-get config-get status-get stat-lease4-get; do
    capture_ns=$NS_CLIENT save "$p.$c.json" "${via[@]}" "$c"
  done
  capture_ns=$NS_CLIENT save_pages "$p" "${via[@]}"
  capture_ns=$NS_CLIENT save "$p.stat-lease4-get.http" --raw "${via[@]}" stat-lease4-get
}

# The HTTP channel's answers to what is wrong (taken in the hot-standby run).
save_http_errors() {
  local e=$1
  mkdir -p "$e"
  printf 'fostat:wrong-password' >"$work/bad-auth"
  capture_ns=$NS_CLIENT save "$e/ca.401.bad-password.http" --raw --auth-file "$work/bad-auth" "$URL1" status-get
  capture_ns=$NS_CLIENT save "$e/ca.401.no-credentials.http" --raw "$URL1" status-get
  capture_ns=$NS_CLIENT save "$e/ca.no-service.http" --raw --auth-file "$AUTH_FILE1" --service '' "$URL1" stat-lease4-get
  capture_ns=$NS_CLIENT save "$e/ca.dhcp6-not-configured.http" --raw --auth-file "$AUTH_FILE1" --service dhcp6 "$URL1" stat-lease4-get
  capture_ns=$NS_CLIENT save "$e/ca.unknown-command.http" --raw --auth-file "$AUTH_FILE1" "$URL1" no-such-command
  # The HA listener is no control channel: with restrict-commands (default true from 3.0)
  # it refuses what HA does not send.
  capture_ns=$NS_CLIENT save "$e/ha-listener.version-get.http" --raw "$HA_URL1" version-get
}

# Every server's replies, configuration and lease file.
save_servers() {
  local d=$1 w=$2 n sock
  for n in 1 2 3; do
    sock=SOCKET$n
    [[ ${!sock:-} ]] || continue
    save_server "$d/server$n" "${!sock}"
    cp "$w/server$n.leases4.csv" "$d/server$n.leases4.csv"
    cp "$w/server$n.json" "$d/server$n.kea-dhcp4.json"
  done
}

# One server stops; its partner is captured once it says partner-down and has served five
# new clients alone. Pairs: server2 stops, server1 survives. Hub-and-spoke: branch1 (server1)
# stops, the hub (server2) is partner-down in relationship 1 and still hot-standby in 2.
partner_down() {
  local d=$1 gone survivor sock want ns mac
  if [[ $mode == hub-and-spoke ]]; then
    gone=$SERVER1_PID survivor=2 sock=$SOCKET2 want='partner-down hot-standby'
    ns=$NS_CLIENT mac=00:0c:01:01:00:00
  else
    gone=$SERVER2_PID survivor=1 sock=$SOCKET1 want=partner-down
    ns=$NS_RELAY2 mac=00:0c:05:01:00:00
  fi
  kill -TERM "$gone"
  wait_states "$sock" "$want"
  perf "$ns" -r 10 -R 5 -n 20 -p 5 -b "mac=$mac"
  local pd=$d/partner-down.server$survivor c
  for c in status-get stat-lease4-get statistic-get-all; do save "$pd.$c.json" "$sock" "$c"; done
  if [[ $mode == hub-and-spoke ]]; then
    # A server of several relationships needs the relationship named (any of its peers).
    save "$pd.ha-heartbeat.json" "$sock" ha-heartbeat '{ "server-name": "hub1" }'
  else
    save "$pd.ha-heartbeat.json" "$sock" ha-heartbeat
  fi
  save_pages "$pd" "$sock"
}

capture() {
  local version=$1 mode=$2 w=$work/$1/$2 d=$out/$1/$2
  rm -rf "$d"
  mkdir -p "$d"
  "$lab" up "$w" --mode "$mode" --kea "$version"
  # shellcheck disable=SC1091
  source "$w/lab.env"
  load
  decline
  save_servers "$d" "$w"
  [[ $mode == hub-and-spoke ]] || save "$d/server1.stat-lease4-get.subnet-5.json" "$SOCKET1" stat-lease4-get '{ "subnet-id": 5 }'
  save_http "$d"
  [[ $mode != hot-standby ]] || save_http_errors "$out/$version/errors"
  partner_down "$d"
  local n
  for n in 1 2 3; do
    [[ ! -f $w/server$n.log ]] || grep -h 'ha-hooks' "$w/server$n.log" >"$d/server$n.ha.log" || true
  done
  "$lab" down "$w"
  unset SOCKET3 SERVER3_PID
}

for version in "${versions[@]}"; do
  for mode in "${modes[@]}"; do
    note "Kea $version, $mode"
    capture "$version" "$mode"
  done
  "$KEA_DHCP4" -V | head -1 >"$out/$version/kea-version.txt" # KEA_DHCP4: the last lab.env
done
note "done: $out"

#!/usr/bin/env bash
# The benchmark's Kea server (the `kea` figure of tools/bench_src/bench.cpp): one real
# kea-dhcp4 (Kea 2.2) in load-balancing HA, with a generated configuration and memfile. The
# configuration is written, and kea-dhcp4 started and stopped, by the lab's
# tools/lab/kea-server.bash, as for tools/lab/kea-pair; what is the benchmark's own is here:
# the generated subnets and leases, when the server is ready, and the baseline's page loop.
#
#   kea_server.sh start DIR SUBNETS LEASES
#       writes DIR/kea-dhcp4.json and DIR/leases4.csv, starts kea-dhcp4 (pid in DIR/kea.pid,
#       control socket DIR/kea.sock, log DIR/kea.log) and returns once it answers status-get
#       in a settled HA state (partner-down) and stat-lease4-get counts LEASES leases;
#       DIR/expected holds what fostat should then report, one key=value a line: subnets,
#       in_use (the leases: all are assigned or declined) and this_in_use (those in the pools
#       of class HA_server1, this server's)
#   kea_server.sh stop DIR
#       stops the kea-dhcp4 recorded in DIR/kea.pid (TERM, then KILL after 5 s); idempotent
#   kea_server.sh pages SOCKET PAGE_SIZE COUNT_FILE
#       the figure's baseline: lease4-get-page from "start", PAGE_SIZE at a time, until
#       result 3, one socat per page, as a shell script would; writes the leases read to
#       COUNT_FILE
#
# No network traffic: kea-dhcp4 listens on no interface (no DHCP at all), and the HA peers'
# URLs are on 127.0.0.1, at ports where nothing listens (checked in /proc/net/tcp): the
# hook's heartbeats to its partner are refused on loopback, so it settles in partner-down.
# Non-multi-threaded HA (--threads off), so the hook opens no listener of its own either.
#
# SUBNETS /21 subnets from 10.64.0.0 (at most 1,024), ids 1..SUBNETS, each with two pools of
# 1,000 addresses, classes HA_server1 and HA_server2; the LEASES leases are spread over the
# subnets evenly and over each subnet's two pools unevenly (40 % to 60 %), one in 500
# declined (state 1, in use as well), every one expiring a year from now (nothing is
# reclaimed during the run; lfc-interval 0: no lease file cleanup either).
set -euo pipefail

# kea_dhcp4_config, kea_dhcp4_check, kea_dhcp4_start, kea_stop_pid, kea_ha_state, kea_hooks_dir
# shellcheck source-path=SCRIPTDIR source=../lab/kea-server.bash
source "$(cd "$(dirname "$0")/../lab" && pwd)/kea-server.bash"

usage() {
  echo "usage: $0 start DIR SUBNETS LEASES | stop DIR | pages SOCKET PAGE_SIZE COUNT_FILE" >&2
  exit 2
}
log() { echo "kea_server.sh: $*" >&2; }

# A TCP port on which nothing listens (IPv4 or IPv6), from $1 upwards.
quiet_port() {
  local port=$1 hex
  for ((; port < $1 + 100; port++)); do
    hex=$(printf '%04X' "$port")
    if ! awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
                           END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

# The "subnet4" members: SUBNETS /21s, two classed pools of 1,000 addresses each.
subnets() {
  awk -v n="$1" 'function ip(a) {
      return int(a / 16777216) "." int(a / 65536) % 256 "." int(a / 256) % 256 "." a % 256
    }
    BEGIN {
      for (i = 0; i < n; i++) {
        base = 10 * 16777216 + 64 * 65536 + i * 2048
        printf "    { \"id\": %d, \"subnet\": \"%s/21\",\n", i + 1, ip(base)
        printf "      \"pools\": [ { \"pool\": \"%s - %s\", \"client-class\": \"HA_server1\" },\n",
               ip(base + 10), ip(base + 1009)
        printf "                 { \"pool\": \"%s - %s\", \"client-class\": \"HA_server2\" } ] }%s\n",
               ip(base + 1034), ip(base + 2033), i + 1 < n ? "," : ""
      }
    }'
}

# The memfile, in Kea 2.2's lease4 CSV format (the header of tests/data/kea-lab/*.csv).
write_leases() {
  local dir=$1 subnets=$2 leases=$3
  awk -v n="$subnets" -v total="$leases" -v now="$(date +%s)" -v expected="$dir/expected" '
      function ip(a) {
        return int(a / 16777216) "." int(a / 65536) % 256 "." int(a / 256) % 256 "." a % 256
      }
      BEGIN {
        print "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context"
        lifetime = 365 * 86400
        k = 0
        mine = 0
        for (i = 0; i < n; i++) {
          base = 10 * 16777216 + 64 * 65536 + i * 2048
          per = int(total / n) + (i < total % n ? 1 : 0)
          first = int(per * (40 + (i * 37) % 21) / 100)   # 40 % to 60 % in the first pool
          mine += first
          for (j = 0; j < per; j++) {
            a = j < first ? base + 10 + j : base + 1034 + (j - first)
            printf "%s,02:00:%02x:%02x:%02x:%02x,,%d,%d,%d,0,0,,%d,\n", ip(a),
                   int(k / 16777216) % 256, int(k / 65536) % 256, int(k / 256) % 256, k % 256,
                   lifetime, now + lifetime, i + 1, k % 500 == 499 ? 1 : 0
            k++
          }
        }
        printf "subnets=%d\nin_use=%d\nthis_in_use=%d\n", n, k, mine > expected
      }' >"$dir/leases4.csv"
}

stop() {
  local dir=$1
  [[ -f $dir/kea.pid ]] || return 0
  kea_stop_pid "$(<"$dir/kea.pid")"
  rm -f "$dir/kea.pid"
}

start() {
  local dir=$1 subnets=$2 leases=$3
  local c
  for c in kea-dhcp4 socat; do
    command -v "$c" >/dev/null ||
      { log "$c not found (tools/install-deps kea-dhcp4-server socat)"; exit 1; }
  done
  # A pool holds 1,000 addresses and may get 60 % of its subnet's leases.
  ((subnets >= 1 && subnets <= 1024 && leases <= subnets * 1600)) ||
    { log "SUBNETS 1 to 1024, at most 1,600 leases per subnet"; exit 2; }
  local hooks port1 port2
  hooks=$(kea_hooks_dir) || { log "Kea's hook libraries not found (package kea-common)"; exit 1; }
  [[ -f $hooks/libdhcp_stat_cmds.so && -f $hooks/libdhcp_lease_cmds.so ]] ||
    { log "libdhcp_stat_cmds.so or libdhcp_lease_cmds.so missing in $hooks"; exit 1; }
  ((${#dir} + 14 <= 107)) || { log "DIR is too long for a unix socket path: $dir"; exit 1; }
  [[ ! -f $dir/kea.pid ]] || { log "$dir/kea.pid exists: stop that server first"; exit 1; }
  mkdir -p "$dir"
  if ! port1=$(quiet_port 47601) || ! port2=$(quiet_port $((port1 + 1))); then
    log "no free loopback port for the HA peers"
    exit 1
  fi
  subnets "$subnets" | kea_dhcp4_config \
    --title "kea-dhcp4 of the fostat benchmark (tools/bench_src/kea_server.sh): no DHCP, HA peers silent" \
    --name server1 --mode load-balancing --interface '' --threads off --max-response-delay 2000 \
    --socket "$dir/kea.sock" --leases "$dir/leases4.csv" --hooks "$hooks" \
    --peer server1 "http://127.0.0.1:$port1/" primary \
    --peer server2 "http://127.0.0.1:$port2/" secondary >"$dir/kea-dhcp4.json"
  write_leases "$dir" "$subnets" "$leases"
  rm -f "$dir/kea.sock" "$dir/kea.sock.lock"
  kea_dhcp4_check "$dir/kea-dhcp4.json" || exit 1

  kea_dhcp4_start "$dir/kea-dhcp4.json" "$dir/kea.log"
  echo "$kea_pid" >"$dir/kea.pid"
  trap 'rc=$?; if ((rc)); then tail -20 "$dir/kea.log" >&2; stop "$dir"; fi' EXIT

  # Settled: partner-down, which the HA hook reaches max-response-delay after its first
  # refused heartbeat (waiting first). Leases: the sum of assigned and declined over the
  # subnets, from stat-lease4-get's rows [ subnet-id, total, cumulative, assigned, declined ].
  local deadline=$((SECONDS + 30)) state='' counted=''
  until [[ $state == partner-down && $counted == "$leases" ]]; do
    kill -0 "$kea_pid" 2>/dev/null || { log "kea-dhcp4 exited"; exit 1; }
    if ((SECONDS >= deadline)); then
      log "kea-dhcp4 not ready within 30 s (HA state: ${state:-no reply}, leases: ${counted:-no reply})"
      exit 1
    fi
    sleep 0.2
    [[ -S $dir/kea.sock ]] || continue
    state=$(kea_ha_state "$dir/kea.sock")
    counted=$("$kea_lab_dir/kea-cmd" "$dir/kea.sock" stat-lease4-get 2>/dev/null | tr -d ' \n' |
      grep -o '\[[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*\]' | tr -d '[]' |
      awk -F, '{ n += $4 + $5 } END { print n + 0 }' || true)
  done
  trap - EXIT
}

# The baseline loop. `from` is the last ip-address of the page before (lease4-get-page
# orders by address and its `from` is exclusive). socat itself, not tools/lab/kea-cmd: the
# baseline is what a shell script would run, one socat a page, and no bash started a page.
pages() {
  local socket=$1 limit=$2 count_file=$3 from=start reply leases=0 n
  for (( ; ; )); do
    reply=$(printf '{ "command": "lease4-get-page", "arguments": { "from": "%s", "limit": %d } }' \
      "$from" "$limit" | socat -t 10 -T 15 - "UNIX-CONNECT:$socket")
    [[ $reply =~ \"result\":\ ([0-9]+) ]] || { log "no result in the reply to lease4-get-page"; exit 1; }
    case ${BASH_REMATCH[1]} in
      0) ;;
      3) break ;;
      *) log "lease4-get-page: result ${BASH_REMATCH[1]}"; exit 1 ;;
    esac
    [[ $reply =~ \"count\":\ ([0-9]+) ]] || { log "no count in the reply to lease4-get-page"; exit 1; }
    n=${BASH_REMATCH[1]}
    leases=$((leases + n))
    from=$(grep -o '"ip-address": "[0-9.]*"' <<<"$reply" | tail -n 1 | cut -d'"' -f4)
  done
  echo "$leases" >"$count_file"
}

(($# >= 2)) || usage
case $1 in
  start) (($# == 4)) || usage; start "$2" "$3" "$4" ;;
  stop) (($# == 2)) || usage; stop "$2" ;;
  pages) (($# == 4)) || usage; pages "$2" "$3" "$4" ;;
  *) usage ;;
esac

# The one place that writes a kea-dhcp4 configuration and starts and stops kea-dhcp4 (Kea 2.2),
# sourced by tools/lab/kea-pair (the HA pair in network namespaces, for the tests) and
# tools/bench_src/kea_server.sh (the benchmark's lone server on no interface). Functions only;
# they send their commands with tools/lab/kea-cmd, beside this file.
#
#   kea_hooks_dir                prints the directory of Kea's hook libraries
#   kea_dhcp4_config OPTIONS     prints a configuration; its "subnet4" members come on stdin
#   kea_dhcp4_check CONFIG       kea-dhcp4 -t CONFIG, showing why when it refuses
#   kea_dhcp4_start CONFIG LOG [NETNS]
#                                starts kea-dhcp4 -c CONFIG in the background; sets kea_pid
#   kea_stop_pid PID             stops a process one of these started: TERM, then KILL
#   kea_ha_state SOCKET          prints the HA state of the server behind SOCKET, or nothing

kea_lab_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The directory of Kea's hook libraries (Debian: /usr/lib/<triplet>/kea/hooks, kea-common).
kea_hooks_dir() {
  local f c
  f=$(dpkg -L kea-common 2>/dev/null | grep '/libdhcp_ha\.so$' | head -1 || true)
  if [[ -z $f ]]; then
    for c in /usr/lib/*/kea/hooks/libdhcp_ha.so /usr/lib/kea/hooks/libdhcp_ha.so; do
      [[ -f $c ]] && { f=$c; break; }
    done
  fi
  [[ $f ]] && dirname "$f"
}

# kea_dhcp4_config OPTIONS <SUBNETS: a kea-dhcp4 of one HA relationship of two peers, with a
# memfile and a unix control socket, the hooks lease_cmds, stat_cmds (when installed) and ha;
# SUBNETS is the text of the "subnet4" list's members.
#   --title TEXT          its first line, a comment
#   --name NAME           this-server-name
#   --mode MODE           load-balancing or hot-standby
#   --interface IFACE     the interface it serves DHCP on (raw sockets); "": none, no DHCP at all
#   --socket PATH         the control socket
#   --leases PATH         the memfile
#   --hooks DIR           from kea_hooks_dir
#   --peer NAME URL ROLE  each peer, both given, in order
#   --threads on|off      on (default): kea-dhcp4 multi-threaded and HA+MT, each peer's own HA
#                         listener at its URL, so that peers need no kea-ctrl-agent; off: one
#                         thread, and the HA hook opens no listener (it only sends)
#   --max-response-delay MS  how long a silent partner takes to be declared down (default 5000)
kea_dhcp4_config() {
  local title='' name='' mode='' interface='' socket='' leases='' hooks='' threads=on delay=5000
  local -a peers=()
  while (($#)); do
    case $1 in
      --title) title=$2; shift 2 ;;
      --name) name=$2; shift 2 ;;
      --mode) mode=$2; shift 2 ;;
      --interface) interface=$2; shift 2 ;;
      --socket) socket=$2; shift 2 ;;
      --leases) leases=$2; shift 2 ;;
      --hooks) hooks=$2; shift 2 ;;
      --peer) peers+=("{ \"name\": \"$2\", \"url\": \"$3\", \"role\": \"$4\", \"auto-failover\": true }"); shift 4 ;;
      --threads) threads=$2; shift 2 ;;
      --max-response-delay) delay=$2; shift 2 ;;
      *) echo "kea_dhcp4_config: unknown option $1" >&2; return 2 ;;
    esac
  done
  [[ $name && $socket && $leases && $hooks && ${#peers[@]} -eq 2 &&
     ($mode == load-balancing || $mode == hot-standby) && ($threads == on || $threads == off) ]] ||
    { echo "kea_dhcp4_config: --name, --mode, --socket, --leases, --hooks and two --peer needed" >&2; return 2; }

  local interfaces='"interfaces": [ ]'
  [[ -z $interface ]] || interfaces="\"interfaces\": [ \"$interface\" ], \"dhcp-socket-type\": \"raw\""
  local stat_cmds=''
  [[ ! -f $hooks/libdhcp_stat_cmds.so ]] || stat_cmds="{ \"library\": \"$hooks/libdhcp_stat_cmds.so\" },"
  local dhcp_threads ha_threads
  if [[ $threads == on ]]; then
    dhcp_threads='// HA+MT (the dedicated HA listener) needs kea-dhcp4'"'"'s own multi-threading.
  "multi-threading": { "enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 64 },'
    ha_threads='"multi-threading": { "enable-multi-threading": true, "http-dedicated-listener": true,
                             "http-listener-threads": 1, "http-client-threads": 1 },'
  else
    dhcp_threads='// Single-threaded, and so is HA: it opens no listener of its own.
  "multi-threading": { "enable-multi-threading": false },'
    ha_threads='"multi-threading": { "enable-multi-threading": false },'
  fi
  cat <<EOF
// $title
{
"Dhcp4": {
  "interfaces-config": { $interfaces },
  "control-socket": { "socket-type": "unix", "socket-name": "$socket" },
  "lease-database": { "type": "memfile", "persist": true, "lfc-interval": 0,
                      "name": "$leases" },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 525,
  $dhcp_threads
  "hooks-libraries": [
    { "library": "$hooks/libdhcp_lease_cmds.so" },
    $stat_cmds
    { "library": "$hooks/libdhcp_ha.so",
      "parameters": { "high-availability": [ {
        "this-server-name": "$name",
        "mode": "$mode",
        "heartbeat-delay": 1000, "max-response-delay": $delay,
        "max-ack-delay": 5000, "max-unacked-clients": 0,
        "sync-timeout": 20000,
        $ha_threads
        "peers": [
          ${peers[0]},
          ${peers[1]}
        ] } ] } }
  ],
  "subnet4": [
EOF
  cat
  cat <<'EOF'
  ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                 "output_options": [ { "output": "stdout", "pattern": "%d{%H:%M:%S.%q} %-5p [%c] %m\n" } ] } ]
}
}
EOF
}

# Whether kea-dhcp4 accepts CONFIG (kea-dhcp4 -t); its output goes to CONFIG's name with
# .conftest for .json, and to stderr when it refuses.
kea_dhcp4_check() {
  local config=$1 out=${1%.json}.conftest
  kea-dhcp4 -t "$config" >"$out" 2>&1 && return 0
  cat "$out" >&2
  echo "kea-dhcp4 refuses $config" >&2
  return 1
}

# Starts kea-dhcp4 -c CONFIG in the background, in network namespace NETNS if one is given,
# stdout and stderr to LOG; sets kea_pid. Kea writes its pid file and its logger's lock file
# in CONFIG's directory, not /run/kea.
kea_dhcp4_start() {
  local config=$1 log=$2 netns=${3:-} dir
  dir=$(dirname "$config")
  local -a in_netns=()
  [[ -z $netns ]] || in_netns=(ip netns exec "$netns")
  KEA_PIDFILE_DIR=$dir KEA_LOCKFILE_DIR=$dir "${in_netns[@]}" kea-dhcp4 -c "$config" \
    </dev/null >"$log" 2>&1 &
  # shellcheck disable=SC2034 # the caller reads it
  kea_pid=$!
}

# Stops PID (a number, or nothing to do): TERM, up to 5 s, then KILL.
kea_stop_pid() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# The HA state of the server's own side ("local") from status-get over SOCKET, or nothing.
kea_ha_state() {
  "$kea_lab_dir/kea-cmd" "$1" status-get 2>/dev/null | grep -o '"state": "[a-z-]*"' | head -1 |
    cut -d'"' -f4 || true
}

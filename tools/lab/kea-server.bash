# The one place that writes a kea-dhcp4 configuration and starts and stops kea-dhcp4, sourced by
# tools/lab/kea-pair (the HA servers in network namespaces, for the tests) and
# tools/bench_src/kea_server.sh (the benchmark's lone server on no interface). Functions only;
# they send their commands with tools/lab/kea-cmd, beside this file. Debian's Kea 2.2 unless
# kea_select picks another.
#
#   kea_hooks_dir                prints the directory of Debian's Kea hook libraries
#   kea_select VERSION           which Kea the functions below run: 2.2 (Debian's) or a release
#                                built by tools/lab/kea-build; sets kea_version, kea_dhcp4_bin,
#                                kea_hooks, kea_prefix
#   kea_paths DATA_DIR SOCKET_DIR
#                                the directories a Kea 2.6.3+ may use (kea_env)
#   kea_dhcp4_config OPTIONS     prints a configuration; its "subnet4" members come on stdin
#   kea_dhcp4_check CONFIG       kea-dhcp4 -t CONFIG, showing why when it refuses
#   kea_dhcp4_start CONFIG LOG [NETNS]
#                                starts kea-dhcp4 -c CONFIG in the background; sets kea_pid
#   kea_stop_pid PID             stops a process one of these started: TERM, then KILL
#   kea_ha_state SOCKET          prints the HA state of the server behind SOCKET, or nothing
#   kea_ha_states SOCKET         the same for each of its HA relationships, one line each
#   kea_version_at_least V       whether kea_version is V or later

kea_lab_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Where tools/lab/kea-build leaves its releases.
kea_cache_root=${FOSTAT_KEA_CACHE:-/var/cache/fostat-lab/kea}
# The Kea the functions run (kea_select): Debian's until told otherwise. kea_env holds the
# VAR=VALUE settings every kea-dhcp4 gets (kea_paths); kea_version is filled in by kea_select.
kea_version='' kea_dhcp4_bin=kea-dhcp4 kea_hooks='' kea_prefix=''
kea_env=()

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

# kea_select VERSION: "2.2" (or "") is Debian's kea-dhcp4 (package kea-dhcp4-server) and its
# hooks; any other VERSION is the release tools/lab/kea-build built into
# $kea_cache_root/VERSION, named by its kea.env. Sets kea_version (what kea-dhcp4 -v says,
# e.g. 2.2.0, 3.2.0), kea_dhcp4_bin, kea_hooks and kea_prefix (empty for Debian's). Says why
# and fails when that Kea is not there.
kea_select() {
  local want=${1:-2.2}
  if [[ $want == 2.2 || $want == 2.2.* ]]; then
    command -v kea-dhcp4 >/dev/null ||
      { echo "kea-dhcp4 not found (package kea-dhcp4-server: tools/install-deps kea-dhcp4-server)" >&2; return 1; }
    kea_dhcp4_bin=kea-dhcp4 kea_prefix=''
    kea_hooks=$(kea_hooks_dir) || kea_hooks=''
    kea_version=$(kea-dhcp4 -v)
    [[ $kea_version == "$want"* ]] || { echo "Debian's kea-dhcp4 is $kea_version, not $want" >&2; return 1; }
    return 0
  fi
  local env=$kea_cache_root/$want/kea.env
  [[ -f $env ]] || {
    echo "Kea $want is not built: no $env (build it once with tools/lab/kea-build $want --source GIT_DIR)" >&2
    return 1
  }
  local KEA_VERSION='' KEA_PREFIX='' KEA_DHCP4='' KEA_HOOKS_DIR=''
  # shellcheck disable=SC1090 # written by tools/lab/kea-build
  source "$env"
  [[ $KEA_VERSION == "$want" && -x $KEA_DHCP4 && -f $KEA_HOOKS_DIR/libdhcp_ha.so ]] ||
    { echo "$env names Kea '$KEA_VERSION', no kea-dhcp4 ($KEA_DHCP4) or no hooks ($KEA_HOOKS_DIR): rebuild with tools/lab/kea-build $want" >&2; return 1; }
  kea_dhcp4_bin=$KEA_DHCP4 kea_hooks=$KEA_HOOKS_DIR kea_prefix=$KEA_PREFIX
  kea_version=$("$KEA_DHCP4" -v)
}

# kea_version_at_least V: whether the selected Kea (kea_version, "-git" and the like ignored)
# is release V or later.
kea_version_at_least() {
  local have=${kea_version%%[!0-9.]*}
  [[ $(printf '%s\n%s\n' "$1" "$have" | sort -V | head -1) == "$1" ]]
}

# kea_paths DATA_DIR SOCKET_DIR: Kea 2.6.3 and later refuse a lease file, control socket, log
# file or hook library outside the directories compiled in, unless the environment names
# others: KEA_DHCP_DATA_DIR (memfile), KEA_CONTROL_SOCKET_DIR (unix control sockets; the
# directory must be mode 0750 or tighter), KEA_LOG_FILE_DIR (logger "output" files; the lab
# logs to stdout, set anyway) and KEA_HOOKS_PATH (hook libraries). Sets kea_env to them for a
# Kea built from source; Debian's 2.2 has no such checks and gets none.
kea_paths() {
  kea_env=()
  [[ $kea_prefix ]] || return 0
  kea_env=("KEA_DHCP_DATA_DIR=$1" "KEA_CONTROL_SOCKET_DIR=$2" "KEA_LOG_FILE_DIR=$1" "KEA_HOOKS_PATH=$kea_hooks")
}

# kea_dhcp4_config OPTIONS <SUBNETS: a kea-dhcp4 of one or more HA relationships, with a
# memfile and a unix control socket, the hooks lease_cmds, stat_cmds (when installed) and ha;
# SUBNETS is the text of the "subnet4" list's members.
#   --title TEXT          its first line, a comment
#   --relationship NAME   an HA relationship in which this server is NAME (this-server-name);
#                         the --peer options after it are its two peers. Given more than once
#                         for a hub of hub-and-spoke (its subnets then say which relationship
#                         they belong to: "user-context": { "ha-server-name": NAME })
#   --name NAME           the same as --relationship NAME (a server of one relationship)
#   --mode MODE           load-balancing or hot-standby, of every relationship
#   --interface IFACE     the interface it serves DHCP on (raw sockets); "": none, no DHCP at all
#   --socket PATH         the unix control socket
#   --http-control ADDR PORT PASSWORD_FILE
#                         also kea-dhcp4's own HTTP control socket (Kea 2.7.2 and later, the
#                         only HTTP way from 3.1.8): http://ADDR:PORT/ with basic
#                         authentication, the one client's "user:password" in PASSWORD_FILE
#                         (an absolute path). The control sockets are then a list
#                         ("control-sockets"), not the one "control-socket".
#   --https-control ADDR PORT PASSWORD_FILE CA CERT KEY
#                         the same over TLS (https://ADDR:PORT/, socket-type "https"): the
#                         server's certificate CERT and key KEY, and a client certificate
#                         signed by CA required of every client ("cert-required": true); basic
#                         authentication from PASSWORD_FILE as well. Absolute paths (PEM).
#   --leases PATH         the memfile
#   --hooks DIR           from kea_hooks_dir or kea_select
#   --peer NAME URL ROLE  each peer of the relationship, both given, in order
#   --threads on|off      on (default): kea-dhcp4 multi-threaded and HA+MT, each peer's own HA
#                         listener at its URL, so that peers need no kea-ctrl-agent; off: one
#                         thread, and the HA hook opens no listener (it only sends)
#   --max-response-delay MS  how long a silent partner takes to be declared down (default 5000)
kea_dhcp4_config() {
  local title='' mode='' interface='' socket='' leases='' hooks='' threads=on delay=5000 http=''
  local -a names=() peers=() counts=()
  while (($#)); do
    case $1 in
      --title) title=$2; shift 2 ;;
      --name | --relationship) names+=("$2"); peers+=(''); counts+=(0); shift 2 ;;
      --mode) mode=$2; shift 2 ;;
      --interface) interface=$2; shift 2 ;;
      --socket) socket=$2; shift 2 ;;
      --http-control) http=$(kea_http_control_socket "$2" "$3" "$4"); shift 4 ;;
      --https-control) http=$(kea_http_control_socket "$2" "$3" "$4" "$5" "$6" "$7"); shift 7 ;;
      --leases) leases=$2; shift 2 ;;
      --hooks) hooks=$2; shift 2 ;;
      --peer)
        ((${#names[@]})) || { echo "kea_dhcp4_config: --peer before --relationship/--name" >&2; return 2; }
        local r=$((${#names[@]} - 1))
        ((counts[r])) && peers[r]+=$',\n          '
        peers[r]+="{ \"name\": \"$2\", \"url\": \"$3\", \"role\": \"$4\", \"auto-failover\": true }"
        counts[r]=$((counts[r] + 1))
        shift 4 ;;
      --threads) threads=$2; shift 2 ;;
      --max-response-delay) delay=$2; shift 2 ;;
      *) echo "kea_dhcp4_config: unknown option $1" >&2; return 2 ;;
    esac
  done
  local two=1 c
  for c in "${counts[@]}"; do ((c == 2)) || two=''; done
  [[ ${#names[@]} -ge 1 && $two && $socket && $leases && $hooks &&
     ($mode == load-balancing || $mode == hot-standby) && ($threads == on || $threads == off) ]] ||
    { echo "kea_dhcp4_config: --name (or --relationship), each with two --peer, --mode, --socket, --leases and --hooks needed" >&2; return 2; }

  local interfaces='"interfaces": [ ]'
  [[ -z $interface ]] || interfaces="\"interfaces\": [ \"$interface\" ], \"dhcp-socket-type\": \"raw\""
  local control="\"control-socket\": { \"socket-type\": \"unix\", \"socket-name\": \"$socket\" },"
  [[ -z $http ]] || control="\"control-sockets\": [
    { \"socket-type\": \"unix\", \"socket-name\": \"$socket\" },
    $http ],"
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
  local relationships='' i
  for i in "${!names[@]}"; do
    ((i == 0)) || relationships+=' }, {'$'\n'
    relationships+="        \"this-server-name\": \"${names[i]}\",
        \"mode\": \"$mode\",
        \"heartbeat-delay\": 1000, \"max-response-delay\": $delay,
        \"max-ack-delay\": 5000, \"max-unacked-clients\": 0,
        \"sync-timeout\": 20000,
        $ha_threads
        \"peers\": [
          ${peers[i]}
        ]"
  done
  cat <<EOF
// $title
{
"Dhcp4": {
  "interfaces-config": { $interfaces },
  $control
  "lease-database": { "type": "memfile", "persist": true, "lfc-interval": 0,
                      "name": "$leases" },
  "valid-lifetime": 600, "renew-timer": 300, "rebind-timer": 525,
  $dhcp_threads
  "hooks-libraries": [
    { "library": "$hooks/libdhcp_lease_cmds.so" },
    $stat_cmds
    { "library": "$hooks/libdhcp_ha.so",
      "parameters": { "high-availability": [ {
$relationships } ] } }
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

# The "control-sockets" member of kea-dhcp4's own HTTP control socket at ADDR:PORT ($1, $2),
# basic authentication from the password file $3: "password-file" alone (no "user") holds the
# whole "user:password", read relative to "directory". Kea 3.1.0 and later refuse an HTTP
# control socket with neither authentication nor TLS ("Unsecured HTTP control channel"), and
# a clear-text "user"/"password" in the configuration ("NOT SECURE"), hence the file. With a
# CA, CERT and KEY ($4 to $6) an "https" one (Kea 3.2's ARM, "HTTP/HTTPS Control Socket", and
# src/lib/config/http_command_config.cc): "trust-anchor" the CA that client certificates must
# chain to, "cert-file"/"key-file" the server's own, "cert-required" true (the default, said
# anyway): a client without a certificate of that CA is refused during the TLS handshake.
kea_http_control_socket() {
  local addr=$1 port=$2 file=$3 ca=${4:-} cert=${5:-} key=${6:-} type=http tls=''
  if [[ $ca || $cert || $key ]]; then
    [[ $ca && $cert && $key ]] ||
      { echo "kea_http_control_socket: give the CA, the certificate and the key, or none" >&2; return 2; }
    type=https
    tls="
      \"trust-anchor\": \"$ca\", \"cert-file\": \"$cert\", \"key-file\": \"$key\",
      \"cert-required\": true,"
  fi
  printf '%s' "{ \"socket-type\": \"$type\", \"socket-address\": \"$addr\", \"socket-port\": $port,$tls
      \"authentication\": { \"type\": \"basic\", \"realm\": \"fostat-kea-lab\",
                          \"directory\": \"$(dirname "$file")\",
                          \"clients\": [ { \"password-file\": \"$(basename "$file")\" } ] } }"
}

# Whether kea-dhcp4 accepts CONFIG (kea-dhcp4 -t); its output goes to CONFIG's name with
# .conftest for .json, and to stderr when it refuses.
kea_dhcp4_check() {
  local config=$1 out=${1%.json}.conftest
  env "${kea_env[@]}" "$kea_dhcp4_bin" -t "$config" >"$out" 2>&1 && return 0
  cat "$out" >&2
  echo "kea-dhcp4 ($kea_dhcp4_bin) refuses $config" >&2
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
  env KEA_PIDFILE_DIR="$dir" KEA_LOCKFILE_DIR="$dir" "${kea_env[@]}" "${in_netns[@]}" \
    "$kea_dhcp4_bin" -c "$config" </dev/null >"$log" 2>&1 &
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
  kea_ha_states "$1" | head -1
}

# The local HA state of each of the server's relationships (status-get's "high-availability"
# list, in order), one a line; nothing when it does not answer. ("state" is the local one:
# the partner's is "last-state".)
kea_ha_states() {
  "$kea_lab_dir/kea-cmd" "$1" status-get 2>/dev/null | grep -o '"state": "[a-z-]*"' |
    cut -d'"' -f4 || true
}

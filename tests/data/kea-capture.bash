# Functions shared by the scripts that capture real Kea replies from tools/lab/kea-pair
# (tests/data/kea-lab/capture.sh for Debian's Kea 2.2, tests/data/kea-versions/capture.sh for
# the releases tools/lab/kea-build makes). Sourced; the caller sets `kea` to tools/lab/kea-cmd.
#
#   note TEXT...                    a line on stderr
#   save FILE KEA_CMD_ARGS...       one reply of `kea-cmd KEA_CMD_ARGS`, byte for byte, into FILE
#                                   (from inside namespace $capture_ns when that is set)
#   save_pages PREFIX TARGET_ARGS...
#                                   lease4-get-page pages of 100 from "start" up to the first
#                                   empty one (result 3): PREFIX.lease4-get-page.N.json
#   save_server PREFIX SOCKET       every reply fostat reads and the cross-checks, over SOCKET
#   add_declined SOCKET IP MAC SUBNET_ID
#                                   lease4-add of a declined lease (state 1)
#   perf NETNS PERFDHCP_ARGS...     perfdhcp -4 -l eth0 from NETNS (exit 3, some exchanges
#                                   unanswered, is expected)
#   ha_states SOCKET                the local HA state of each relationship, space-separated
#   wait_states SOCKET WANT         until ha_states SOCKET is WANT (up to 30 s)

note() { echo "capture: $*" >&2; }

save() {
  local file=$1
  shift
  local -a run=("$kea")
  [[ -z ${capture_ns:-} ]] || run=(ip netns exec "$capture_ns" "$kea")
  "${run[@]}" "$@" >"$file"
  [[ -s $file ]] || { note "empty reply for $*"; exit 1; }
}

# Each next page from the last address of the page before (lease4-get-page orders by address
# and its "from" is exclusive).
save_pages() {
  local prefix=$1
  shift
  local from=start page=1 last
  while :; do
    save "$prefix.lease4-get-page.$page.json" "$@" lease4-get-page "{ \"from\": \"$from\", \"limit\": 100 }"
    last=$(grep -o '"ip-address": "[0-9.]*"' "$prefix.lease4-get-page.$page.json" | tail -1 | cut -d'"' -f4 || true)
    [[ $last ]] || break
    from=$last page=$((page + 1))
  done
}

# What fostat sends (version-get, config-get, status-get, stat-lease4-get, lease4-get-page)
# and, to check them against, statistic-get-all and lease4-get-all.
save_server() {
  local prefix=$1 sock=$2 c
  for c in version-get config-get status-get stat-lease4-get statistic-get-all lease4-get-all; do
    save "$prefix.$c.json" "$sock" "$c"
  done
  save_pages "$prefix" "$sock"
}

add_declined() {
  local sock=$1 ip=$2 mac=$3 id=$4 reply
  reply=$("$kea" "$sock" lease4-add "{ \"ip-address\": \"$ip\", \"hw-address\": \"$mac\", \"subnet-id\": $id, \"state\": 1 }")
  [[ $reply == *'"result": 0'* ]] || { note "lease4-add $ip on $sock: $reply"; exit 1; }
}

perf() {
  local ns=$1
  shift
  local rc=0
  timeout 60 ip netns exec "$ns" perfdhcp -4 -l eth0 "$@" >/dev/null 2>&1 || rc=$?
  ((rc == 0 || rc == 3)) || { note "perfdhcp $* exited $rc"; exit 1; }
}

ha_states() {
  "$kea" "$1" status-get | grep -o '"state": "[a-z-]*"' | cut -d'"' -f4 | paste -sd' '
}

wait_states() {
  local sock=$1 want=$2 deadline=$((SECONDS + 30))
  until [[ $(ha_states "$sock") == "$want" ]]; do
    ((SECONDS < deadline)) || { note "$sock did not reach '$want' in 30 s (it says: $(ha_states "$sock"))"; exit 1; }
    sleep 0.5
  done
}

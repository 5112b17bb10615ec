# The Kea HA lab (tools/lab/kea-pair) in load-balancing mode: both peers answer status-get
# over their unix sockets with result 0, HA mode load-balancing, their roles and the state
# load-balancing; server1's kea-ctrl-agent answers with the lab's credentials and refuses
# wrong or missing ones with HTTP 401; `down` stops every process and namespace it made and
# can be run twice. Needs root and network namespaces: skipped (77) otherwise.
root=$(cd "$(dirname "$0")/../.." && pwd) # before lib.bash moves to its scratch directory
source "$(dirname "$0")/lib.bash" "$1"
lab=$root/tools/lab/kea-pair
kea=$root/tools/lab/kea-cmd

skip() { echo "SKIP: $*" >&2; exit 77; }
[[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces"
probe=fostat-e2e-$$-probe
ip netns add "$probe" 2>/dev/null || skip "'ip netns add' fails here: no network namespaces"
ip netns del "$probe"
if ! command -v kea-dhcp4 >/dev/null || ! command -v kea-ctrl-agent >/dev/null || ! command -v socat >/dev/null; then
  "$root/tools/install-deps" kea-dhcp4-server kea-ctrl-agent socat >/dev/null 2>&1 ||
    skip "Kea 2.2 is not installed and could not be (kea-dhcp4-server kea-ctrl-agent socat)"
fi

cleanup() {
  local rc=$?
  "$lab" down "$work/lab" || true
  if ((rc != 0 && rc != 77)); then
    for f in "$work"/lab/server1.log "$work"/lab/server2.log "$work"/lab/ca1.log; do
      [[ -f $f ]] && { echo "--- last lines of $f" >&2; tail -8 "$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$SECONDS

"$lab" up "$work/lab" --mode load-balancing 2>up.err || { cat up.err >&2; fail "kea-pair up failed"; }
# shellcheck disable=SC1091
source "$work/lab/lab.env"
[[ $MODE == load-balancing ]] || fail "lab.env says MODE=$MODE"

# --- both peers over their unix sockets ---------------------------------------------------
for n in 1 2; do
  sock=SOCKET$n
  reply=$("$kea" "${!sock}" status-get) || fail "server$n: no reply to status-get on ${!sock}"
  role=primary
  ((n == 1)) || role=secondary
  for want in '"result": 0' '"ha-mode": "load-balancing"' \
              "\"local\": { \"role\": \"$role\", \"scopes\": [ \"server$n\" ], \"state\": \"load-balancing\" }"; do
    [[ $reply == *"$want"* ]] || fail "server$n status-get lacks $want: $reply"
  done
done

# --- server1's kea-ctrl-agent -------------------------------------------------------------
in_lab() { ip netns exec "$NS_CLIENT" "$@"; }
[[ $(cat "$AUTH_FILE1") == fostat:?* ]] || fail "$AUTH_FILE1 does not hold fostat:PASSWORD"
http=$(in_lab "$kea" --raw --auth-file "$AUTH_FILE1" "$URL1" status-get) || fail "no reply from $URL1"
[[ $http == "HTTP/1.1 200 OK"$'\r\n'* ]] || fail "right credentials: $(head -1 <<<"$http")"
[[ $http == *'"state": "load-balancing"'*'"result": 0 } ]' ]] || fail "right credentials, body: $http"

printf 'fostat:not-the-password' >bad-auth
http=$(in_lab "$kea" --raw --auth-file bad-auth "$URL1" status-get) || fail "no reply from $URL1"
[[ $http == "HTTP/1.1 401 Unauthorized"$'\r\n'* ]] || fail "wrong password: $(head -1 <<<"$http")"
[[ $http == *'{ "result": 401, "text": "Unauthorized" }' ]] || fail "wrong password, body: $http"
[[ $http != *'"state"'* ]] || fail "wrong password got a status"
http=$(in_lab "$kea" --raw "$URL1" status-get) || fail "no reply from $URL1"
[[ $http == "HTTP/1.1 401 Unauthorized"$'\r\n'* ]] || fail "no credentials: $(head -1 <<<"$http")"

# --- down stops what up started -----------------------------------------------------------
"$lab" down "$work/lab"
for pid in "$SERVER1_PID" "$SERVER2_PID" "$CA1_PID"; do
  ! kill -0 "$pid" 2>/dev/null || fail "pid $pid still runs after down"
done
for ns in $NAMESPACES; do
  ! ip netns list | cut -d" " -f1 | grep -qx -- "$ns" || fail "namespace $ns left after down"
done
"$lab" down "$work/lab" || fail "a second down failed"
echo "kea-pair load-balancing lab: both peers load-balancing, ctrl-agent 200/401; $((SECONDS - start)) s"

#!/usr/bin/env bash
# End-to-end: the `kea` source over HTTPS against Kea's own https control socket (kea-dhcp4
# 3.1.8 and later), in a hot-standby pair of tools/lab/kea-pair --tls.
#
#   bash tests/e2e/kea_tls.sh BIN_DIR VERSION
#
# BIN_DIR holds fostat-collect and fostat-query. VERSION: a Kea release of 3.1.8 or later that
# tools/lab/kea-build has built into its cache (3.2.0). Needs root (network namespaces);
# exits 77 (skipped) with a message where namespaces cannot be created, or when Kea VERSION
# is not built here. Installs socat, openssl, jq and sqlite3 if missing.
#
# The lab's server1 serves https://198.18.1.2:8000/ ("socket-type": "https", its certificate
# for IP:198.18.1.2 and "cert-required": true, both certificates signed by the lab's
# throwaway CA) with basic authentication (lab.env's AUTH_FILE1). From inside the lab's client
# namespace, asserts:
#   1. fostat-collect kea --url URL1 --auth-file --tls-ca --tls-cert --tls-key succeeds and
#      stores the same samples (every column of `fostat-query samples --format csv` but the
#      timestamp) as fostat-collect kea --socket SOCKET1 right after: the pair is idle;
#   2. without the client certificate the run fails (exit 3, one line on stderr naming the
#      URL and saying a client certificate is required);
#   3. with a CA that did not sign the server's certificate (a second throwaway CA) it fails
#      (exit 3, one line naming the URL, saying the server's certificate is not trusted by
#      that CA);
#   4. with a wrong password it fails (exit 3, one line naming the URL, HTTP 401 and the
#      auth file to check); without an auth file too (HTTP 401);
#   5. no failed run stores anything: the database's samples are those of 1, and each failed
#      run's row says failed with 0 rows.
# The error lines are printed as notes.
#
# Everything is torn down on exit, whatever happened. FOSTAT_E2E_KEEP=1 keeps the work
# directory (configs, certificates, logs, databases).
set -euo pipefail

bin=$(cd "${1:?usage: $0 BIN_DIR VERSION}" && pwd)
version=${2:?usage: $0 BIN_DIR VERSION}
collect=$bin/fostat-collect
query=$bin/fostat-query
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$root/tools/lab/kea-pair
kea=$root/tools/lab/kea-cmd
unset FOSTAT_DB

e2e_name=kea_tls_$version
# shellcheck source=lib.bash
source "$root/tests/e2e/lib.bash"

# --- can this machine run it? ------------------------------------------------------------
require_netns_and socat openssl jq sqlite3
for c in socat openssl jq sqlite3; do
  command -v "$c" >/dev/null || fail "$c not found after installing its package"
done
"$collect" kea --help 2>/dev/null | grep -q -- --tls-cert || fail "$collect kea has no --tls-cert"
IFS=. read -r major minor patch <<<"$version"
patch=${patch:-0}
((major * 10000 + minor * 100 + ${patch%%[!0-9]*} >= 30108)) ||
  fail "Kea $version serves HTTP through kea-ctrl-agent; this test needs kea-dhcp4's own https control socket (3.1.8 or later, e.g. 3.2.0)"
cache=${FOSTAT_KEA_CACHE:-/var/cache/fostat-lab/kea}/$version/kea.env
[[ -f $cache ]] ||
  skip "Kea $version is not built on this machine ($cache is missing): build it with tools/lab/kea-build $version --source GIT_DIR (docs/sources/kea.md)"

work=$(mktemp -d)
cleanup() {
  local rc=$?
  "$lab" down "$work/lab" || true
  if ((rc != 0 && rc != 77)) && [[ -f $work/lab/server1.log ]]; then
    echo "--- $work/lab/server1.log: its last warnings, errors and HTTP/TLS lines" >&2
    grep -E ' (WARN|ERROR|FATAL) |HTTP_|TLS' "$work/lab/server1.log" | tail -8 >&2 || true
  fi
  leave_work "$rc"
}
enter_work

"$lab" up "$work/lab" --mode hot-standby --kea "$version" --tls
# shellcheck disable=SC1091
source "$work/lab/lab.env"
[[ $TLS == 1 && $URL1 == https://198.18.1.2:8000/ && -f $TLS_CA && -f $TLS_CERT && -f $TLS_KEY ]] ||
  fail "lab.env: TLS=$TLS URL1=$URL1 TLS_CA=$TLS_CA TLS_CERT=$TLS_CERT TLS_KEY=$TLS_KEY"
in_client() { ip netns exec "$NS_CLIENT" "$@"; }

# Kea's own view of the https socket (config-get over the unix socket), as a note.
"$kea" "$SOCKET1" config-get >config-get.json
https=$(jq -c '.arguments.Dhcp4["control-sockets"][] | select(.["socket-type"] == "https")
               | { "socket-type", "socket-address", "socket-port", "trust-anchor": (.["trust-anchor"] | split("/") | last),
                   "cert-file": (.["cert-file"] | split("/") | last), "key-file": (.["key-file"] | split("/") | last),
                   "cert-required", "authentication": .authentication.type }' config-get.json)
[[ $(jq -r '.["cert-required"]' <<<"$https") == true ]] || fail "server1 has no https control socket with cert-required: $https"
note "server1's https control socket (config-get): $https"

# --- 1. a run over https stores what a run over the unix socket stores ---------------------
tls=(--tls-ca "$TLS_CA" --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
rc=0
in_client "$collect" --db url.db kea --url "$URL1" --auth-file "$AUTH_FILE1" "${tls[@]}" >url.out 2>url.err || rc=$?
((rc == 0)) || { cat url.out url.err >&2; fail "fostat-collect kea --url $URL1 with the client certificate exited $rc"; }
rc=0
in_client "$collect" --db socket.db kea --socket "$SOCKET1" >socket.out 2>socket.err || rc=$?
((rc == 0)) || { cat socket.out socket.err >&2; fail "fostat-collect kea --socket $SOCKET1 exited $rc"; }
# Every column but the timestamp (the first).
"$query" --db url.db samples --format csv | cut -d, -f2- >url.csv
"$query" --db socket.db samples --format csv | cut -d, -f2- >socket.csv
(($(wc -l <url.csv) == 4)) || { cat url.csv >&2; fail "the https run stored $(($(wc -l <url.csv) - 1)) samples, expected 3 (one per subnet)"; }
cmp -s url.csv socket.csv || fail "the https run and the unix socket run stored different samples:"$'\n'"$(diff url.csv socket.csv)"
note "https run: \"$(cat url.out)\"; its samples equal the unix socket's: $(tail -n +2 url.csv | cut -d, -f3-6 | tr '\n' ';')"

# --- 2-4. runs that fail ------------------------------------------------------------------
samples_before=$("$query" --db url.db samples --format csv)
runs_before=$(sqlite3 url.db 'SELECT count(*) FROM runs')
# failing NAME PATTERN OPTIONS...: a run with OPTIONS (after --url) exits 3 with one line on
# stderr that names the URL and matches PATTERN (grep -E); sets line to it.
failing() {
  local name=$1 pattern=$2 rc=0
  shift 2
  in_client "$collect" --db url.db kea --url "$URL1" "$@" >"$name.out" 2>"$name.err" || rc=$?
  ((rc == 3)) || { cat "$name.out" "$name.err" >&2; fail "$name: fostat-collect exited $rc, expected 3"; }
  (($(wc -l <"$name.err") == 1)) ||
    { cat "$name.err" >&2; fail "$name: $(wc -l <"$name.err") lines on stderr, expected one"; }
  line=$(cat "$name.err")
  grep -qF "$URL1" <<<"$line" || fail "$name: the error does not name $URL1: $line"
  grep -qE "$pattern" <<<"$line" || fail "$name: the error does not match /$pattern/: $line"
  run=$(sqlite3 -separator ' ' url.db 'SELECT status, rows FROM runs ORDER BY id DESC LIMIT 1')
  [[ $run == 'failed 0' ]] || fail "$name: the run's row is '$run', expected 'failed 0'"
}

failing no-client-cert 'Kea requires a client certificate: give --tls-cert and --tls-key' --auth-file "$AUTH_FILE1" --tls-ca "$TLS_CA"
note "without the client certificate: exit 3, \"$line\""

# A second CA, which signed nothing the server has.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=fostat e2e other CA" -keyout other-ca.key -out other-ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>other-ca.log ||
  { cat other-ca.log >&2; fail "openssl could not make a second CA"; }
failing other-ca "the server's certificate is not trusted by $work/other-ca.pem: no CA there signed it \\(SSL certificate problem: " \
  --auth-file "$AUTH_FILE1" --tls-ca "$work/other-ca.pem" --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"
note "with a CA that did not sign the server's certificate: exit 3, \"$line\""

(umask 077; printf '%s:wrong-%s' "$AUTH_USER1" "$$" >wrong.auth)
failing wrong-password "HTTP 401 Unauthorized: check the user and password in $work/wrong.auth\$" \
  --auth-file "$work/wrong.auth" "${tls[@]}"
note "with a wrong password: exit 3, \"$line\""

failing no-auth-file 'HTTP 401 Unauthorized: Kea wants a user and password: give --auth-file' "${tls[@]}"
note "without an auth file: exit 3, \"$line\""

# --- 5. nothing stored by the failed runs ---------------------------------------------------
[[ $("$query" --db url.db samples --format csv) == "$samples_before" ]] ||
  fail "the failed runs changed the samples:"$'\n'"$(diff <(echo "$samples_before") <("$query" --db url.db samples --format csv))"
runs=$(sqlite3 -separator ' ' url.db "SELECT count(*), sum(rows) FROM runs WHERE id > (SELECT min(id) FROM runs)")
[[ $runs == "4 0" && $runs_before == 1 ]] ||
  fail "runs after the first: '$runs' (count, rows), expected '4 0' (runs before: $runs_before)"
note "the 4 failed runs stored nothing: $(($(wc -l <<<"$samples_before") - 1)) samples, as before; their rows: failed, 0 rows"

"$lab" down "$work/lab"
note "pass; $((SECONDS - start)) s"
